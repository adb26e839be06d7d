// A message's MIME structure (RFC 2045/2046), with byte offsets into the raw message, as the
// IMAP FETCH of BODYSTRUCTURE and BODY[section] needs it.

export interface ContentType {
  /** Lower case, e.g. "text". */
  type: string;
  /** Lower case, e.g. "plain". */
  subtype: string;
  /** Parameter names lower case; RFC 2231 continuations joined and decoded. */
  params: Record<string, string>;
}

export interface MimeNode {
  /** Offset of the first header byte of this part. */
  start: number;
  /** Offset just after the empty line that ends the part's header (== bodyStart). */
  bodyStart: number;
  /** Offset just after the last body byte (excluding the CRLF before the next boundary). */
  end: number;
  contentType: ContentType;
  /** Content-Transfer-Encoding, lower case; "7bit" when absent. */
  encoding: string;
  /** For multipart/*: the parts; for message/rfc822 (and global): one node, the inner message. */
  children: MimeNode[];
  /**
   * Added by the parser (optional): the Content-Type as written, set only when the part is
   * treated as another type — a multipart without a usable boundary, or a multipart or
   * message/* part below the nesting limit. `contentType` then holds the type it is treated as,
   * so that `contentType` alone always tells how the part is structured: multipart/* has at least
   * one child, message/rfc822 and message/global exactly one, everything else none.
   */
  declaredType?: ContentType;
}
