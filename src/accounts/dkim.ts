// DKIM keys (RFC 6376). One RSA-2048 pair per domain, generated at registration: the private
// key stays in the store (for signing outbound mail), the public key is published as
// `<selector>._domainkey.<domain> TXT "v=DKIM1; k=rsa; p=<base64 SPKI>"` (RFC 6376 §3.6.1).
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';

const generate = promisify(generateKeyPair);

export interface DkimKeyPair {
  selector: string;
  privateKeyPem: string;
  /** Base64 DER SubjectPublicKeyInfo, the `p=` tag. */
  publicKey: string;
}

/** A selector that names when the key was made, so a later rotation can publish both. */
export function dkimSelector(now = new Date()): string {
  return `wicket${now.getUTCFullYear()}${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
}

export async function generateDkimKey(now = new Date()): Promise<DkimKeyPair> {
  const { privateKey, publicKey } = await generate('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'der' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { selector: dkimSelector(now), privateKeyPem: privateKey, publicKey: publicKey.toString('base64') };
}

export function dkimRecordValue(publicKey: string): string {
  return `v=DKIM1; k=rsa; p=${publicKey}`;
}
