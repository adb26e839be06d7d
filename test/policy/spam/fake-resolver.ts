// A DNS resolver in memory for the spam tests, shaped like node:dns/promises Resolver
// (`resolve(name, rrtype)`, `resolve4(name)`): answers from a table, fails as node:dns does
// (ENOTFOUND for an unknown name, ENODATA for a known name without that type), records every
// query, and can be made to never answer or to fail as an unreachable server does.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

type RecordSets = Record<string, unknown[]>;

export type FakeMode = 'answer' | 'silent' | 'refused';

const dnsError = (code: string, name: string): Error => Object.assign(new Error(`query${code} ${name}`), { code, hostname: name });

export class FakeResolver {
  readonly queries: { name: string; rrtype: string }[] = [];
  private readonly records = new Map<string, RecordSets>();

  constructor(public mode: FakeMode = 'answer') {}

  /** Adds records: TXT data as string[][] (each record its character-strings), A as strings. */
  add(name: string, rrtype: string, ...data: unknown[]): this {
    const sets = this.records.get(name.toLowerCase()) ?? {};
    sets[rrtype] = [...(sets[rrtype] ?? []), ...data];
    this.records.set(name.toLowerCase(), sets);
    return this;
  }

  txt(name: string, value: string): this {
    // DNS carries TXT data as character-strings of at most 255 octets (RFC 1035 §3.3.14).
    return this.add(name, 'TXT', value.match(/.{1,255}/g) ?? ['']);
  }

  async resolve(name: string, rrtype: string): Promise<unknown[]> {
    this.queries.push({ name, rrtype });
    if (this.mode === 'silent') return new Promise<never>(() => {});
    if (this.mode === 'refused') throw dnsError('ECONNREFUSED', name);
    const sets = this.records.get(name.toLowerCase());
    if (sets === undefined) throw dnsError('ENOTFOUND', name);
    const data = sets[rrtype];
    if (data === undefined || data.length === 0) throw dnsError('ENODATA', name);
    return data;
  }

  async resolve4(name: string): Promise<string[]> {
    return (await this.resolve(name, 'A')) as string[];
  }
}

const FIXTURES = join(import.meta.dirname, '../../fixtures/spam');

/** The messages of one corpus directory ("ham" or "spam"), by file name, with CRLF line ends. */
export function corpus(kind: 'ham' | 'spam'): { name: string; raw: Buffer }[] {
  const dir = join(FIXTURES, kind);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.eml'))
    .sort()
    .map((name) => ({ name, raw: Buffer.from(readFileSync(join(dir, name), 'latin1').replace(/\r?\n/g, '\r\n'), 'latin1') }));
}

/** A message from header lines and a body, with CRLF line ends. */
export function message(fields: string[], body = 'Hello.\r\n'): Buffer {
  return Buffer.from(`${fields.join('\r\n')}\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}`, 'utf8');
}
