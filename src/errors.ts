// One set of errors for every service. Surfaces translate them: the CLI prints the message
// on one line and exits 1, the API maps `kind` to an HTTP status, IMAP/SMTP to NO/5xx.
// Messages are written for the person at the other end and never carry a secret.

export type ErrorKind =
  | 'invalid' // the input breaks a rule (400)
  | 'not_found' // the named object does not exist here (404)
  | 'conflict' // the object exists already, or the change would break a relation (409)
  | 'unavailable'; // the store or a dependency cannot serve the request now (503)

export class WicketError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input that breaks a rule; `field` names the input and `rule` the rule that failed. */
export class ValidationError extends WicketError {
  constructor(
    readonly field: string,
    readonly rule: string,
    message: string,
  ) {
    super('invalid', message);
  }
}

export class NotFoundError extends WicketError {
  constructor(message: string) {
    super('not_found', message);
  }
}

export class ConflictError extends WicketError {
  constructor(message: string) {
    super('conflict', message);
  }
}

export class UnavailableError extends WicketError {
  constructor(message: string) {
    super('unavailable', message);
  }
}

/**
 * The disk holding the data directory is full: nothing new can be stored until space returns,
 * while everything stored can still be read. Surfaces say so precisely rather than "try again":
 * SMTP 452 4.3.1 (RFC 3463 "mail system full"), IMAP NO [UNAVAILABLE], HTTP 507 (RFC 4918 §11.5).
 */
export class DiskFullError extends UnavailableError {
  constructor(message = 'the disk holding the data directory is full; nothing new can be stored until space is freed') {
    super(message);
  }
}
