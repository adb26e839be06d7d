// The two ways a SEARCH can be refused, and the safe quoting of client text in their messages.

/** A malformed SEARCH: the session answers `tag BAD <message>`. */
export class SearchSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SearchSyntaxError';
  }
}

/** The charsets we search in. Strings are decoded as UTF-8, of which US-ASCII is a subset. */
export const SUPPORTED_CHARSETS = ['UTF-8', 'US-ASCII'] as const;

/**
 * RFC 9051 §6.4.4: "If the server does not support the specified [CHARSET], it MUST return a
 * tagged NO response (not a BAD). This response SHOULD contain the BADCHARSET response code,
 * which MAY list the [CHARSETs] supported by the server." → `NO [BADCHARSET (UTF-8 US-ASCII)]`.
 */
export class SearchCharsetError extends Error {
  readonly supported: readonly string[] = SUPPORTED_CHARSETS;
  constructor(readonly charset: string) {
    super(`charset ${show(charset)} is not supported; use one of ${SUPPORTED_CHARSETS.join(' ')}`);
    this.name = 'SearchCharsetError';
  }
}

/**
 * Client text quoted in an error message. The message ends up in `tag BAD …`, a single line of
 * ASCII, so control characters (a CRLF from a literal!) and non-ASCII are replaced and the text
 * is cut short.
 */
export function show(text: string): string {
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return `"${clean.length > 40 ? `${clean.slice(0, 40)}...` : clean}"`;
}
