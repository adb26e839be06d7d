// One set of errors for every IMAP command (ARCHITECTURE.md principle 5): a command throws,
// the session answers. Anything else thrown is a bug: logged, answered NO [SERVERBUG].

/** RFC 5530 response codes used by Wicket. */
export type ResponseCode =
  | 'ALREADYEXISTS'
  | 'AUTHENTICATIONFAILED'
  | 'AUTHORIZATIONFAILED'
  | 'BADCHARSET (UTF-8 US-ASCII)'
  | 'CANNOT'
  | 'CLIENTBUG'
  | 'CONTACTADMIN'
  | 'INUSE'
  | 'LIMIT'
  | 'NONEXISTENT'
  | 'NOPERM'
  | 'PRIVACYREQUIRED'
  | 'SERVERBUG'
  | 'TOOBIG'
  | 'OVERQUOTA'
  | 'TRYCREATE'
  | 'UNAVAILABLE'
  | 'EXPUNGEISSUED'
  | 'READ-ONLY'
  | 'READ-WRITE'
  | 'USEATTR'
  | 'COMPRESSIONACTIVE'
  | 'MODIFIED'
  | 'CLOSED';

/** `tag NO [code] text`: the command was understood and refused. */
export class No extends Error {
  constructor(
    readonly code: ResponseCode | null,
    text: string,
  ) {
    super(text);
  }
}

/** `tag BAD text`: the command was not understood (syntax, wrong state). */
export class Bad extends Error {
  constructor(
    text: string,
    readonly code: ResponseCode | null = null,
  ) {
    super(text);
  }
}

/** `* BYE text`, then the connection closes. */
export class Bye extends Error {}
