// The shapes the pure IMAP protocol layer deals in (no sockets here).

/** One syntactic element of a client command (RFC 3501 §9 / RFC 9051 §9). */
export type Token =
  /**
   * An atom as sent: NIL, numbers, flags (`\Seen`), sequence sets (`1:*,5`), and fetch
   * attributes whose brackets may hold spaces and lists (`BODY.PEEK[HEADER.FIELDS (FROM TO)]<0.100>`)
   * — the bracketed part is kept verbatim inside the atom's text.
   */
  | { kind: 'atom'; value: string }
  /** A quoted string or a literal (`{n}` / `{n+}`), as bytes. */
  | { kind: 'string'; value: Buffer; literal: boolean }
  /** A parenthesized list. */
  | { kind: 'list'; items: Token[] };

export interface Command {
  tag: string;
  /** Upper-cased command name; `UID FETCH` etc. are joined into one name. */
  name: string;
  args: Token[];
}

/** A command the tokenizer could not read: answer `tag BAD text` (tag may be `*` when unknown). */
export interface CommandSyntaxError {
  tag: string;
  message: string;
}

/**
 * A value in a server response, ready for the encoder. JSON-compatible so that ENVELOPE and
 * BODYSTRUCTURE can be computed once at delivery and stored.
 *   null → NIL; number → number; string → quoted string or literal (the encoder decides);
 *   array → parenthesized list; { atom } → sent as is (flags, keywords, response atoms).
 */
export type ImapValue = null | number | string | { atom: string } | ImapValue[];

/**
 * A sequence set (RFC 3501 §9 sequence-set): ranges of message sequence numbers or UIDs, `*`
 * standing for the largest one in use. Ranges are kept as written (`5:2` is the same as `2:5`).
 */
export type SequenceSet = { from: number | '*'; to: number | '*' }[];
