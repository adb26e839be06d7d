// ID — RFC 2971: any state. The client tells who it is (logged), the server answers in kind.
// macOS Mail sends it right after the greeting.
import { anyState } from '../command.js';
import { Bad } from '../errors.js';
import { encodeValue } from '../protocol/encoder.js';
import type { Token } from '../protocol/types.js';
import { VERSION } from '../../version.js';

function parse(args: Token[]): Record<string, string | null> | null {
  if (args.length !== 1) throw new Bad('expected ID (field value …) or ID NIL');
  const [arg] = args;
  if (arg!.kind === 'atom' && arg!.value.toUpperCase() === 'NIL') return null;
  if (arg!.kind !== 'list' || arg!.items.length % 2 !== 0 || arg!.items.length > 60) {
    throw new Bad('ID takes NIL or a list of up to 30 field/value pairs');
  }
  const fields: Record<string, string | null> = {};
  for (let i = 0; i < arg!.items.length; i += 2) {
    const key = arg!.items[i]!;
    const value = arg!.items[i + 1]!;
    if (key.kind !== 'string') throw new Bad('ID field names are strings');
    // RFC 2971 §3.3: field names at most 30 octets, values at most 1024.
    if (key.value.length > 30) throw new Bad('an ID field name is longer than 30 octets');
    if (value.kind === 'string') {
      if (value.value.length > 1024) throw new Bad('an ID value is longer than 1024 octets');
      fields[key.value.toString('utf8').toLowerCase()] = value.value.toString('utf8');
    } else if (value.kind === 'atom' && value.value.toUpperCase() === 'NIL') fields[key.value.toString('utf8').toLowerCase()] = null;
    else throw new Bad('ID values are strings or NIL');
  }
  return fields;
}

export const id = anyState({
  name: 'ID',
  parse,
  async run(ctx, fields) {
    if (fields) ctx.services.log.info({ session: ctx.id, client: fields }, 'client identified itself');
    ctx.untagged(Buffer.concat([Buffer.from('ID '), encodeValue(['name', 'Wicket', 'version', VERSION, 'vendor', 'Wicket'])]));
  },
});
