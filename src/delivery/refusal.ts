// A message or recipient the pipeline will not take, with the SMTP reply that says why
// (RFC 5321 §4.2 reply code, RFC 3463 enhanced status code). Other surfaces (the API) map
// the same refusal to their own status: `http` when the refusal names one (a daily limit is
// 429 with Retry-After, a blocking rule 403), else by the code's class.
export class DeliveryRefused extends Error {
  constructor(
    /** Basic SMTP reply code, e.g. 550. */
    readonly code: number,
    /** RFC 3463 enhanced status code, e.g. "5.7.1". */
    readonly enhanced: string,
    message: string,
    readonly extra: { http?: number; retryAfterSeconds?: number; imapCode?: string } = {},
  ) {
    super(message);
    this.name = 'DeliveryRefused';
  }

  get permanent(): boolean {
    return this.code >= 500;
  }
}
