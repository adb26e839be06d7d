// Every webhook body is signed: hex HMAC-SHA256 of the raw bytes with the webhook's secret, in
// X-Nylas-Signature (what the hosted service's SDKs check) and X-Wicket-Signature.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export function sign(secret: string, body: Buffer | string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/** For receivers written in TypeScript (and the tests): constant-time comparison. */
export function verify(secret: string, body: Buffer | string, signature: string): boolean {
  const expected = Buffer.from(sign(secret, body), 'hex');
  const given = Buffer.from(signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function signatureHeaders(secret: string, body: Buffer): Record<string, string> {
  const signature = sign(secret, body);
  return { 'content-type': 'application/json', 'x-nylas-signature': signature, 'x-wicket-signature': signature };
}

/** A new secret: 256 random bits as 64 hex characters. */
export const newSecret = (): string => randomBytes(32).toString('hex');
