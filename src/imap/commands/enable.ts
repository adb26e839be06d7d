// ENABLE — RFC 5161: turns on extensions that change how the server talks (CONDSTORE, QRESYNC,
// UTF8=ACCEPT). Unknown names are ignored; the ENABLED response lists what was newly enabled.
import { authenticatedOnly } from '../command.js';
import { Bad } from '../errors.js';

/** RFC 7162 §3.2.3: QRESYNC implies CONDSTORE. */
const IMPLIES: Record<string, string[]> = { QRESYNC: ['CONDSTORE'] };
export const ENABLEABLE = new Set(['CONDSTORE', 'QRESYNC', 'UTF8=ACCEPT']);

export const enable = authenticatedOnly({
  name: 'ENABLE',
  parse(args) {
    if (args.length === 0) throw new Bad('expected ENABLE capability …');
    return args.map((a) => {
      if (a.kind !== 'atom') throw new Bad('ENABLE takes capability names');
      return a.value.toUpperCase();
    });
  },
  async run(ctx, names) {
    const newly: string[] = [];
    for (const name of names) {
      for (const capability of [...(IMPLIES[name] ?? []), name]) {
        if (ENABLEABLE.has(capability) && !ctx.isEnabled(capability)) {
          ctx.enable(capability);
          newly.push(capability);
        }
      }
    }
    ctx.untagged(['ENABLED', ...newly].join(' '));
  },
});
