// TLS material for every listener. With WICKET_TLS_CERT/KEY set, those files are used (and
// checked to be a matching pair). Otherwise a self-signed certificate for WICKET_HOSTNAME,
// localhost, 127.0.0.1 and ::1 is generated into the certs directory on first start, and
// regenerated when it no longer covers the host name or is within 30 days of expiry. On SIGHUP
// the material is loaded again and handed to every listener (Gateway.reloadTls): new handshakes
// use it, sessions already open keep theirs, and a pair that fails to load changes nothing.
import { X509Certificate, constants as crypto } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type SecureContextOptions, createSecureContext as tlsContext } from 'node:tls';
import selfsigned from 'selfsigned';
import { ConfigError, type Config } from './config.js';

export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
  source: 'configured' | 'generated' | 'existing';
  certFile: string;
  /** SHA-256 fingerprint, for users who pin or compare the self-signed certificate. */
  fingerprint: string;
  validTo: string;
}

/**
 * TLS 1.2 suites: ECDHE key exchange (forward secrecy) with AEAD ciphers only — the TLS 1.2 part
 * of Mozilla's "intermediate" profile (RFC 9325 §4.2). No static RSA, no CBC, no SHA-1 MACs, and
 * RC4, 3DES, export, NULL and anonymous suites are never built in. TLS 1.3 keeps its own three.
 */
export const TLS12_CIPHERS = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
];
const TLS13_SUITES = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];

/**
 * The options of every TLS listener and STARTTLS upgrade (IMAPS, IMAP STARTTLS, SMTP submission,
 * submissions and MX, HTTPS): TLS 1.2 or later (RFC 8996 deprecates 1.0 and 1.1; smtp-server
 * would otherwise allow 1.0), the suites above in our order, no compression (CRIME, RFC 9325
 * §3.3) and no renegotiation at all — nothing here needs it, and it is a CPU sink for a client.
 */
export function serverTlsOptions(material: Pick<TlsMaterial, 'cert' | 'key'>): SecureContextOptions {
  return {
    key: material.key,
    cert: material.cert,
    minVersion: 'TLSv1.2',
    ciphers: [...TLS13_SUITES, ...TLS12_CIPHERS].join(':'),
    honorCipherOrder: true,
    secureOptions: crypto.SSL_OP_NO_RENEGOTIATION | crypto.SSL_OP_NO_COMPRESSION,
  };
}

export const SELF_SIGNED_CERT = 'wicket-selfsigned.crt';
export const SELF_SIGNED_KEY = 'wicket-selfsigned.key';

const DAY = 86_400_000;

function describe(cert: Buffer, key: Buffer, source: TlsMaterial['source'], certFile: string): TlsMaterial {
  const x509 = new X509Certificate(cert);
  return { cert, key, source, certFile, fingerprint: x509.fingerprint256, validTo: x509.validTo };
}

function readConfigured(tls: { cert: string; key: string }): TlsMaterial {
  const read = (variable: string, file: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw new ConfigError(variable, `cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  };
  const cert = read('WICKET_TLS_CERT', tls.cert);
  const key = read('WICKET_TLS_KEY', tls.key);
  try {
    new X509Certificate(cert);
  } catch {
    throw new ConfigError('WICKET_TLS_CERT', `${tls.cert} is not a PEM certificate`);
  }
  try {
    tlsContext({ cert, key });
  } catch {
    throw new ConfigError('WICKET_TLS_KEY', `${tls.key} is not the private key of ${tls.cert}`);
  }
  return describe(cert, key, 'configured', tls.cert);
}

/** Whether an existing self-signed pair still serves: covers the names, not near expiry, matching key. */
function stillGood(cert: Buffer, key: Buffer, hostname: string): boolean {
  try {
    const x509 = new X509Certificate(cert);
    if (new Date(x509.validTo).getTime() - Date.now() < 30 * DAY) return false;
    if (!x509.checkHost(hostname) || !x509.checkHost('localhost') || !x509.checkIP('127.0.0.1')) return false;
    tlsContext({ cert, key });
    return true;
  } catch {
    return false;
  }
}

async function generate(hostname: string): Promise<{ cert: string; key: string }> {
  const names = [...new Set([hostname, 'localhost'])];
  const notBeforeDate = new Date(Date.now() - DAY);
  // 825 days: the longest validity Apple platforms accept for a TLS server certificate.
  const notAfterDate = new Date(notBeforeDate.getTime() + 825 * DAY);
  const pems = await selfsigned.generate([{ name: 'commonName', value: hostname }, { name: 'organizationName', value: 'Wicket' }], {
    keyType: 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [...names.map((value) => ({ type: 2 as const, value })), { type: 7 as const, ip: '127.0.0.1' }, { type: 7 as const, ip: '::1' }],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

export async function loadTlsMaterial(config: Config): Promise<TlsMaterial> {
  if (config.tls) return readConfigured(config.tls);

  const certFile = join(config.certsDir, SELF_SIGNED_CERT);
  const keyFile = join(config.certsDir, SELF_SIGNED_KEY);
  if (existsSync(certFile) && existsSync(keyFile)) {
    const cert = readFileSync(certFile);
    const key = readFileSync(keyFile);
    if (stillGood(cert, key, config.hostname)) return describe(cert, key, 'existing', certFile);
  }
  try {
    mkdirSync(config.certsDir, { recursive: true });
  } catch (err) {
    throw new ConfigError('WICKET_CERTS_DIR', `cannot create ${config.certsDir} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const pair = await generate(config.hostname);
  // Write beside and rename, so a crash never leaves half a key behind.
  try {
    writeFileSync(`${keyFile}.tmp`, pair.key, { mode: 0o600 });
    writeFileSync(`${certFile}.tmp`, pair.cert, { mode: 0o644 });
    chmodSync(`${keyFile}.tmp`, 0o600);
    renameSync(`${keyFile}.tmp`, keyFile);
    renameSync(`${certFile}.tmp`, certFile);
  } catch (err) {
    throw new ConfigError('WICKET_CERTS_DIR', `cannot write the certificate to ${config.certsDir} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return describe(Buffer.from(pair.cert), Buffer.from(pair.key), 'generated', certFile);
}
