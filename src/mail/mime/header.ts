// The header section of one entity (a message or a body part), read as located fields so that
// BODY[HEADER.FIELDS] can hand out the original bytes and ENVELOPE/BODYSTRUCTURE the values.
// RFC 5322 §2.2: a field is a line "name: value" and the continuation lines after it, which start
// with a space or tab (§2.2.3 folding). Bare LF line ends are accepted like CRLF.

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HT = 0x09;
const COLON = 0x3a;

export interface HeaderField {
  /**
   * Lower-case name, trimmed (RFC 5322 §4.5.1 obs-optional allows WSP before the colon). Empty
   * for a line that is neither a field nor a continuation: it is kept so that no header byte is
   * lost from HEADER.FIELDS.NOT, but no name asked for ever matches it.
   */
  name: string;
  /** Offset of the field's first byte. */
  start: number;
  /** Offset just after the colon (== end when there is none). */
  valueStart: number;
  /** Offset just after the field's last line break (or the end of the header section). */
  end: number;
}

/** Offset just after the LF ending the line that starts at `from`, or `limit`. */
function lineEnd(raw: Buffer, from: number, limit: number): number {
  const nl = raw.indexOf(LF, from);
  return nl === -1 || nl >= limit ? limit : nl + 1;
}

/** Whether the line at `at` is empty: the end of a header section (RFC 5322 §2.1). */
export function isBlankLine(raw: Buffer, at: number): boolean {
  return raw[at] === LF || (raw[at] === CR && raw[at + 1] === LF);
}

/** The fields of the header section [start, end) in order; stops at the empty line. */
export function headerFields(raw: Buffer, start: number, end: number): HeaderField[] {
  const fields: HeaderField[] = [];
  let current: HeaderField | undefined;
  for (let at = start; at < end; ) {
    if (isBlankLine(raw, at)) break;
    const next = lineEnd(raw, at, end);
    if ((raw[at] === SP || raw[at] === HT) && current) {
      current.end = next; // RFC 5322 §2.2.3: a continuation line belongs to the field above.
    } else {
      // A byte loop bounded by the line, not indexOf(':'): a search running past the line could
      // read the rest of the header once per colon-less line.
      let colon = at;
      while (colon < next && raw[colon] !== COLON && raw[colon] !== LF) colon++;
      const hasColon = raw[colon] === COLON && colon < next;
      current = {
        name: hasColon ? raw.toString('latin1', at, colon).trim().toLowerCase() : '',
        start: at,
        valueStart: hasColon ? colon + 1 : next,
        end: next,
      };
      fields.push(current);
    }
    at = next;
  }
  return fields;
}

/**
 * A field's value as text: unfolded (RFC 5322 §2.2.3 — every line break inside a field precedes
 * a continuation, so dropping CR and LF unfolds it) and trimmed; 8-bit bytes read as UTF-8
 * (RFC 6532 §3.2); NUL dropped, since no IMAP string may carry one (RFC 3501 §4.3).
 */
export function fieldValue(raw: Buffer, field: HeaderField): string {
  return raw
    .toString('utf8', field.valueStart, field.end)
    .replace(/[\r\n\0]/g, '')
    .trim();
}

/** The value of the first field with this (lower-case) name, or null when there is none. */
export function firstValue(raw: Buffer, fields: HeaderField[], name: string): string | null {
  const field = fields.find((f) => f.name === name);
  return field === undefined ? null : fieldValue(raw, field);
}

/**
 * The empty line that ends the header section [start, bodyStart), or null when the section
 * has none (a message that is all header, or a part cut short by the next boundary).
 */
export function blankLine(raw: Buffer, start: number, bodyStart: number): Buffer | null {
  const last = bodyStart - 1;
  if (last < start || raw[last] !== LF) return null;
  if (last === start || raw[last - 1] === LF) return raw.subarray(last, bodyStart);
  if (raw[last - 1] === CR && (last - 1 === start || raw[last - 2] === LF)) return raw.subarray(last - 1, bodyStart);
  return null;
}
