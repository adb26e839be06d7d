// SMTP replies with the enhanced status code chosen by Wicket (RFC 3463), not by the default
// mapping smtp-server applies per basic code (which would answer every 550 with 5.1.1).
import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';
import { DeliveryRefused } from '../delivery/refusal.js';

export interface SmtpReplyError extends Error {
  responseCode: number;
}

/** An error for an smtp-server callback: `550 5.7.1 text`. */
export function reply(code: number, enhanced: string, text: string): SmtpReplyError {
  const err = new Error(`${enhanced} ${text}`) as SmtpReplyError;
  err.responseCode = code;
  return err;
}

export function fromRefusal(refusal: DeliveryRefused): SmtpReplyError {
  return reply(refusal.code, refusal.enhanced, refusal.message);
}

const ENHANCED = /^[245]\.\d{1,3}\.\d{1,3} /;
let installed = false;

/**
 * smtp-server prefixes an enhanced code of its own choosing to every reply text when
 * ENHANCEDSTATUSCODES is on. A text that already starts with one (from `reply`) is sent as is,
 * so each reply carries exactly one code, the right one. Installed once per process.
 */
export function installEnhancedCodeReplies(): void {
  if (installed) return;
  installed = true;
  const proto = SMTPConnection.prototype as unknown as { send(code: number, data: unknown, context?: unknown): void };
  const send = proto.send;
  proto.send = function (this: unknown, code: number, data: unknown, context?: unknown) {
    if (typeof data === 'string' && ENHANCED.test(data)) return send.call(this, code, data, false);
    return send.call(this, code, data, context);
  };
}
