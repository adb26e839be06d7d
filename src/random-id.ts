// Random identifiers for the hot paths (a message's API id, a delivery id, a session id): hex
// from a pool of random bytes filled 4 KiB at a time. One crypto.randomBytes call per id cost
// more than the id's whole share of an SMTP delivery's inserts (profile of the SMTP benchmark).
// The bytes are the same CSPRNG's; secrets (keys, tokens) keep their own randomBytes calls.
import { randomFillSync } from 'node:crypto';

const pool = Buffer.alloc(4096);
let offset = pool.length;

/** `bytes` random bytes as lower-case hex. */
export function randomHex(bytes: number): string {
  if (offset + bytes > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return hex;
}
