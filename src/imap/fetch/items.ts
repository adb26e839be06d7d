// FETCH data items (RFC 3501 §6.4.5, RFC 9051 §6.4.5) parsed into typed requests. The
// bracketed section of BODY[...] arrives verbatim inside one atom (see the tokenizer) and is
// read here: part numbers, HEADER, HEADER.FIELDS (list), HEADER.FIELDS.NOT (list), TEXT,
// MIME, and the partial <origin.length>.
import { Bad } from '../errors.js';
import type { Token } from '../protocol/types.js';

export type SectionText = 'HEADER' | 'HEADER.FIELDS' | 'HEADER.FIELDS.NOT' | 'TEXT' | 'MIME';

export interface Section {
  part: number[];
  text?: SectionText;
  /** Field names for HEADER.FIELDS(.NOT), upper case. */
  fields?: string[];
}

export type FetchItem =
  | { kind: 'UID' }
  | { kind: 'FLAGS' }
  | { kind: 'INTERNALDATE' }
  | { kind: 'RFC822.SIZE' }
  | { kind: 'ENVELOPE' }
  | { kind: 'BODY' }
  | { kind: 'BODYSTRUCTURE' }
  /** RFC 7162 §3.1.4.1 */
  | { kind: 'MODSEQ' }
  /** RFC822 = BODY[], RFC822.HEADER = BODY.PEEK[HEADER], RFC822.TEXT = BODY[TEXT]; named as asked. */
  | { kind: 'RFC822'; which: '' | '.HEADER' | '.TEXT' }
  | { kind: 'SECTION'; section: Section; peek: boolean; partial?: { origin: number; length: number } };

const MACROS: Record<string, string[]> = {
  ALL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE'],
  FAST: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE'],
  FULL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODY'],
};

const SIMPLE = new Set(['UID', 'FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODY', 'BODYSTRUCTURE', 'MODSEQ']);

/** `1.2.HEADER.FIELDS (FROM TO)` → Section. */
export function parseSection(spec: string): Section {
  const section: Section = { part: [] };
  const match = /^((?:[1-9]\d*)(?:\.[1-9]\d*)*)?(?:\.?(HEADER\.FIELDS\.NOT|HEADER\.FIELDS|HEADER|TEXT|MIME)(?:\s*\((.*)\))?)?$/is.exec(spec.trim());
  if (!match) throw new Bad(`bad section specification [${spec.slice(0, 60)}]`);
  const [, parts, text, fields] = match;
  if (parts) section.part = parts.split('.').map(Number);
  if (text) {
    const upper = text.toUpperCase() as SectionText;
    // RFC 3501 §6.4.5: MIME only after a part number; the fields list only for HEADER.FIELDS(.NOT).
    if (upper === 'MIME' && section.part.length === 0) throw new Bad('MIME needs a part number, e.g. BODY[1.MIME]');
    if (parts && !spec.trim().startsWith(`${parts}.`)) throw new Bad(`bad section specification [${spec.slice(0, 60)}]`);
    section.text = upper;
    if (upper === 'HEADER.FIELDS' || upper === 'HEADER.FIELDS.NOT') {
      if (fields === undefined) throw new Bad(`${upper} needs a list of field names`);
      const names = fields.trim().split(/\s+/).filter(Boolean).map((f) => f.replace(/^"(.*)"$/, '$1').toUpperCase());
      if (names.length === 0 || names.some((n) => !/^[\x21-\x39\x3b-\x7e]+$/.test(n))) throw new Bad(`bad field names in ${upper}`);
      section.fields = names;
    } else if (fields !== undefined) throw new Bad(`${upper} takes no field list`);
  }
  return section;
}

/** The section as it is named back in the response: `1.2.HEADER.FIELDS (FROM TO)`. */
export function sectionName(section: Section): string {
  const parts = section.part.join('.');
  const text = section.text ? `${section.text}${section.fields ? ` (${section.fields.join(' ')})` : ''}` : '';
  return parts && text ? `${parts}.${text}` : parts || text;
}

function parseAtom(value: string): FetchItem[] {
  const upper = value.toUpperCase();
  if (MACROS[upper]) return MACROS[upper]!.map((name) => ({ kind: name }) as FetchItem);
  if (SIMPLE.has(upper)) return [{ kind: upper } as FetchItem];
  if (upper === 'RFC822' || upper === 'RFC822.HEADER' || upper === 'RFC822.TEXT') {
    return [{ kind: 'RFC822', which: upper.slice(6) as '' | '.HEADER' | '.TEXT' }];
  }
  const body = /^BODY(\.PEEK)?\[(.*)\](?:<(\d+)\.(\d+)>)?$/is.exec(value);
  if (body) {
    const [, peek, spec, origin, length] = body;
    const item: FetchItem = { kind: 'SECTION', section: parseSection(spec!), peek: Boolean(peek) };
    if (origin !== undefined) {
      // RFC 3501 §6.4.5: the length must be non-zero.
      if (Number(length) === 0) throw new Bad('a partial fetch needs a non-zero length');
      item.partial = { origin: Number(origin), length: Number(length) };
    }
    return [item];
  }
  throw new Bad(`unknown FETCH item ${value.slice(0, 60)}`);
}

/** One atom, a macro, or a parenthesized list of atoms (macros only alone, RFC 3501 §6.4.5). */
export function parseFetchItems(token: Token | undefined): FetchItem[] {
  if (!token) throw new Bad('expected FETCH items');
  if (token.kind === 'atom') return parseAtom(token.value);
  if (token.kind !== 'list' || token.items.length === 0) throw new Bad('expected FETCH items');
  return token.items.flatMap((item) => {
    if (item.kind !== 'atom') throw new Bad('FETCH items are atoms');
    if (MACROS[item.value.toUpperCase()]) throw new Bad('ALL, FAST and FULL cannot be combined with other items');
    return parseAtom(item.value);
  });
}

/** Whether fetching these items reads the message bytes (and may set \Seen). */
export const needsBody = (items: FetchItem[]) => items.some((i) => i.kind === 'SECTION' || i.kind === 'RFC822');
export const setsSeen = (items: FetchItem[]) =>
  items.some((i) => (i.kind === 'SECTION' && !i.peek) || (i.kind === 'RFC822' && i.which !== '.HEADER'));
