// The TLS policy of every listener (TLS 1.2+, ECDHE + AEAD suites) and Gateway.reloadTls, the
// SIGHUP certificate reload. The openssl sweep and the SIGHUP-over-a-real-process version are
// in test/reliability/tls.test.ts.
import { X509Certificate } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ConnectionOptions, connect } from 'node:tls';
import selfsigned from 'selfsigned';
import { describe, expect, it } from 'vitest';
import { startTestGateway } from './helpers/gateway.js';
import { tempDir } from './helpers/tmp.js';

async function writePair(dir: string, cn: string, keyType: 'rsa' | 'ec' = 'rsa'): Promise<{ cert: string; key: string; fingerprint: string }> {
  const pems = await selfsigned.generate([{ name: 'commonName', value: cn }], { keyType, keySize: 2048, algorithm: 'sha256' });
  const cert = join(dir, 'tls.crt');
  const key = join(dir, 'tls.key');
  writeFileSync(key, pems.private);
  writeFileSync(cert, pems.cert);
  return { cert, key, fingerprint: new X509Certificate(pems.cert).fingerprint256 };
}

/** A handshake with the given client options: what was negotiated, or the error code. */
function hello(port: number, options: ConnectionOptions): Promise<{ protocol: string | null; cipher: string; fingerprint: string } | { error: string }> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...options });
    socket.once('secureConnect', () => {
      resolve({ protocol: socket.getProtocol(), cipher: socket.getCipher().name, fingerprint: socket.getPeerCertificate().fingerprint256 });
      socket.destroy();
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
  });
}

describe('TLS listeners', () => {
  it('speak TLS 1.2+ with ECDHE + AEAD suites only, on IMAPS, SMTPS and HTTPS', async () => {
    const g = await startTestGateway({ WICKET_HTTP_TLS: 'true' });
    for (const port of [g.ports.imaps, g.ports.submissions, g.ports.http]) {
      // The client's own floor is lowered so that the refusal is the server's.
      const old = await hello(port, { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT:@SECLEVEL=0' });
      expect(old).toEqual({ error: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION' });
      // Static RSA key exchange (no forward secrecy) and CBC with SHA-1: refused.
      for (const weak of ['AES128-GCM-SHA256', 'AES256-SHA', 'ECDHE-RSA-AES128-SHA', 'ECDHE-RSA-AES256-SHA384']) {
        expect(await hello(port, { maxVersion: 'TLSv1.2', ciphers: `${weak}:@SECLEVEL=0` }), weak).toEqual({ error: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE' });
      }
      expect(await hello(port, { maxVersion: 'TLSv1.2' })).toMatchObject({ protocol: 'TLSv1.2', cipher: 'ECDHE-RSA-AES128-GCM-SHA256' });
      expect(await hello(port, {})).toMatchObject({ protocol: 'TLSv1.3' });
    }
  });

  it('reloadTls gives new handshakes the new pair; a broken pair throws and changes nothing', async () => {
    const dir = tempDir();
    const first = await writePair(dir, 'first.test');
    const g = await startTestGateway({ WICKET_HTTP_TLS: 'true', WICKET_TLS_CERT: first.cert, WICKET_TLS_KEY: first.key });
    const ports = [g.ports.imaps, g.ports.submissions, g.ports.http];
    const seen = () => Promise.all(ports.map(async (port) => ((await hello(port, {})) as { fingerprint: string }).fingerprint));
    expect(await seen()).toEqual(ports.map(() => first.fingerprint));

    const second = await writePair(dir, 'second.test', 'ec');
    expect((await g.gateway.reloadTls()).fingerprint).toBe(second.fingerprint);
    expect(g.gateway.tls.fingerprint).toBe(second.fingerprint);
    expect(await seen()).toEqual(ports.map(() => second.fingerprint));

    rmSync(second.key);
    await expect(g.gateway.reloadTls()).rejects.toThrow(/^WICKET_TLS_KEY: cannot read .*tls\.key \(ENOENT\)$/);
    writeFileSync(second.cert, 'garbage');
    await expect(g.gateway.reloadTls()).rejects.toThrow(/^WICKET_TLS_KEY: cannot read/);
    expect(g.gateway.tls.fingerprint).toBe(second.fingerprint);
    expect(await seen()).toEqual(ports.map(() => second.fingerprint));
  });
});
