// Character classes of the IMAP grammar (RFC 3501 §9, RFC 9051 §9), in one place so the
// receiver, the tokenizer, the argument grammar and the encoder agree on them.

export const SP = 0x20;
export const CR = 0x0d;
export const LF = 0x0a;
export const DQUOTE = 0x22;
export const BACKSLASH = 0x5c;

/** CTL = %x00-1F / %x7F (RFC 5234 B.1, used by RFC 3501 §9). */
export function isCtl(b: number): boolean {
  return b < 0x20 || b === 0x7f;
}

// RFC 3501 §9: atom-specials = "(" / ")" / "{" / SP / CTL / list-wildcards / quoted-specials /
// resp-specials, with list-wildcards = "%" / "*", quoted-specials = DQUOTE / "\",
// resp-specials = "]". ATOM-CHAR = <any CHAR except atom-specials>; CHAR = %x01-7F.
const ATOM_SPECIALS = new Set([0x28, 0x29, 0x7b, SP, 0x25, 0x2a, DQUOTE, BACKSLASH, 0x5d]);

export function isAtomChar(b: number): boolean {
  return b > 0x20 && b < 0x7f && !ATOM_SPECIALS.has(b);
}

/** RFC 3501 §9: ASTRING-CHAR = ATOM-CHAR / resp-specials. */
export function isAstringChar(b: number): boolean {
  return isAtomChar(b) || b === 0x5d;
}

/** RFC 3501 §9: tag = 1*<any ASTRING-CHAR except "+">. */
export function isTagChar(b: number): boolean {
  return isAstringChar(b) && b !== 0x2b;
}

export function isValidTag(tag: string): boolean {
  if (tag.length === 0) return false;
  for (let i = 0; i < tag.length; i++) if (!isTagChar(tag.charCodeAt(i))) return false;
  return true;
}

/** Every code unit satisfies `test` (for ASCII-only classes over JS strings). */
export function allChars(text: string, test: (b: number) => boolean): boolean {
  for (let i = 0; i < text.length; i++) if (!test(text.charCodeAt(i))) return false;
  return true;
}
