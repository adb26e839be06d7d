// `openssl s_client` as a testssl-style probe: one handshake against one listener (implicit TLS
// or STARTTLS for IMAP/SMTP) with the protocol and cipher forced, and what it negotiated read
// back from its report. Also self-signed pairs from `openssl req`, for the reload test.
import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

export interface Endpoint {
  name: string;
  port: number;
  /** STARTTLS on the plaintext protocol first (s_client -starttls). */
  starttls?: 'imap' | 'smtp';
}

export interface Handshake {
  /** "TLSv1.2", "TLSv1.3", or null when no session was set up. */
  protocol: string | null;
  cipher: string | null;
  /** The server's certificate, when one was sent. */
  fingerprint: string | null;
  /** "X25519, 253 bits": the ephemeral key (forward secrecy), TLS 1.2 and 1.3. */
  tempKey: string | null;
  compression: string | null;
  secureRenegotiation: boolean;
  /** The TLS alert the server sent, e.g. "protocol version", "handshake failure". */
  alert: string | null;
  output: string;
}

export function run(command: string, args: string[], input = '', timeoutMs = 15_000): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

export const endpointArgs = (e: Endpoint): string[] => [
  '-connect',
  `127.0.0.1:${e.port}`,
  '-servername',
  'localhost',
  ...(e.starttls ? ['-starttls', e.starttls] : []),
];

export function parseHandshake(output: string): Handshake {
  const session = /^New, (\S+), Cipher is (\S+)/m.exec(output);
  const ok = session !== null && session[1] !== '(NONE),' && session[2] !== '(NONE)';
  const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(output);
  return {
    protocol: ok ? session[1]!.replace(/,$/, '') : null,
    cipher: ok ? session[2]! : null,
    fingerprint: pem ? new X509Certificate(pem[0]).fingerprint256 : null,
    tempKey: /^Server Temp Key: (.+)$/m.exec(output)?.[1] ?? null,
    compression: ok ? (/^Compression: (.+)$/m.exec(output)?.[1] ?? null) : null,
    secureRenegotiation: /Secure Renegotiation IS supported/.test(output),
    alert: /alert ([a-z ]+?)(?::|$)/m.exec(output)?.[1] ?? null,
    output,
  };
}

/** One handshake; `args` forces the protocol or ciphers (e.g. ['-tls1_2', '-cipher', 'X']). */
export async function handshake(e: Endpoint, args: string[] = []): Promise<Handshake> {
  const { output } = await run('openssl', ['s_client', ...endpointArgs(e), ...args]);
  return parseHandshake(output);
}

/** The cipher names this OpenSSL knows for `spec` (empty when none match, e.g. RC4 not built). */
export async function ciphers(spec: string, protocol = '-tls1_2'): Promise<string[]> {
  const { code, output } = await run('openssl', ['ciphers', protocol, spec]);
  if (code !== 0) return [];
  return output
    .trim()
    .split(':')
    .filter((c) => c && !c.startsWith('TLS_'));
}

/** Runs `fn` over `items`, `width` at a time, results in order. */
export async function pool<T, R>(items: T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]!);
      }
    }),
  );
  return results;
}

/** A self-signed pair for localhost written to `certFile`/`keyFile`; returns its SHA-256 fingerprint. */
export async function selfSignedPair(certFile: string, keyFile: string, kind: 'rsa' | 'ec', cn: string): Promise<string> {
  const keyArgs = kind === 'rsa' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];
  const tmpCert = `${certFile}.new`;
  const tmpKey = `${keyFile}.new`;
  const { code, output } = await run('openssl', [
    'req', '-x509', ...keyArgs, '-nodes', '-days', '2', '-subj', `/CN=${cn}`,
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout', tmpKey, '-out', tmpCert,
  ]);
  if (code !== 0) throw new Error(`openssl req failed: ${output}`);
  const cert = readFileSync(tmpCert);
  // Replace the pair the way an operator's deploy hook would: key, then certificate.
  writeFileSync(keyFile, readFileSync(tmpKey), { mode: 0o600 });
  rmSync(tmpKey);
  renameSync(tmpCert, certFile);
  return new X509Certificate(cert).fingerprint256;
}

/**
 * A client-initiated renegotiation (s_client's "R" command) over TLS 1.2, after the handshake.
 * Returns the transcript after the request; a server that allows it shows a second
 * certificate verification there, one that refuses sends the no_renegotiation alert.
 */
export function renegotiate(e: Endpoint): Promise<{ refused: boolean; renegotiated: boolean; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('openssl', ['s_client', ...endpointArgs(e), '-tls1_2'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let asked = false;
    const finish = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const onData = (d: string) => {
      output += d;
      if (!asked && /Verify return code/.test(output)) {
        asked = true;
        // After the greeting has arrived, so the request is not mixed with STARTTLS traffic.
        setTimeout(() => child.stdin.write('R\n'), 300);
        setTimeout(() => child.stdin.end(), 2_500);
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    child.stdin.on('error', () => {});
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(finish);
      const after = output.split('RENEGOTIATING')[1] ?? '';
      resolve({ refused: /no renegotiation/.test(after), renegotiated: /verify return/.test(after), output });
    });
  });
}
