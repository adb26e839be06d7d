import { X509Certificate } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { dumpStore, wicket, wicketOk } from '../helpers/cli.js';
import { SERVE_ENV, startServe } from '../helpers/serve.js';
import { tempDir } from '../helpers/tmp.js';

const logLines = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { msg: string; level: number; [k: string]: unknown });

describe('wicket serve', () => {
  it('starts, generates a certificate, answers /healthz and /readyz, and stops cleanly on SIGTERM', async () => {
    const dir = tempDir();
    const server = await startServe(dir, { WICKET_HOSTNAME: 'mail.example.test' });
    const base = `http://127.0.0.1:${server.ports.http}`;

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', version: '0.1.0' });
    const ready = await fetch(`${base}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready' }]);
    const missing = await fetch(`${base}/nope`);
    expect(missing.status).toBe(404);

    // The certificate covers the host name, localhost and loopback; the key is private.
    const certFile = join(dir, 'certs', 'wicket-selfsigned.crt');
    const cert = new X509Certificate(readFileSync(certFile));
    expect(cert.checkHost('mail.example.test')).toBe('mail.example.test');
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(statSync(join(dir, 'certs', 'wicket-selfsigned.key')).mode & 0o077).toBe(0);

    // One log line per listener with its address.
    const lines = logLines(server.stdout());
    expect(lines.filter((l) => /listening on/.test(l.msg)).map((l) => l.msg)).toEqual([`HTTP listening on 127.0.0.1:${server.ports.http}`]);
    expect(lines.some((l) => l.msg === 'generated a self-signed certificate')).toBe(true);

    // `status` sees the running server through the same data directory.
    const status = (await wicketOk(dir, ['status', '--json'], { env: { WICKET_HTTP_PORT: String(server.ports.http) } })).json;
    expect(status.server).toEqual({ running: true, url: `${base}/healthz` });

    expect(await server.stop('SIGTERM')).toBe(0);
    expect(logLines(server.stdout()).map((l) => l.msg)).toEqual(expect.arrayContaining(['shutting down', 'wicket stopped']));
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });

  it('stops on SIGINT too, and reuses its certificate on the next start', async () => {
    const dir = tempDir();
    const first = await startServe(dir);
    expect(await first.stop('SIGINT')).toBe(0);
    const fingerprint = new X509Certificate(readFileSync(join(dir, 'certs', 'wicket-selfsigned.crt'))).fingerprint256;
    const second = await startServe(dir);
    expect(logLines(second.stdout()).some((l) => l.msg === 'tls certificate loaded' && l.source === 'existing')).toBe(true);
    expect(new X509Certificate(readFileSync(join(dir, 'certs', 'wicket-selfsigned.crt'))).fingerprint256).toBe(fingerprint);
    expect(await second.stop()).toBe(0);
  });

  it('regenerates the certificate when WICKET_HOSTNAME changes to a name it does not cover', async () => {
    const dir = tempDir();
    await (await startServe(dir, { WICKET_HOSTNAME: 'one.example.test' })).stop();
    const server = await startServe(dir, { WICKET_HOSTNAME: 'two.example.test' });
    const cert = new X509Certificate(readFileSync(join(dir, 'certs', 'wicket-selfsigned.crt')));
    expect(cert.checkHost('two.example.test')).toBe('two.example.test');
    expect(await server.stop()).toBe(0);
  });

  it('uses a configured certificate, and refuses a key that does not match it', async () => {
    const dir = tempDir();
    // Generate two pairs by starting twice with different certificate folders.
    await (await startServe(dir, { WICKET_CERTS_DIR: join(dir, 'a') })).stop();
    await (await startServe(dir, { WICKET_CERTS_DIR: join(dir, 'b') })).stop();
    const good = await startServe(dir, {
      WICKET_TLS_CERT: join(dir, 'a', 'wicket-selfsigned.crt'),
      WICKET_TLS_KEY: join(dir, 'a', 'wicket-selfsigned.key'),
    });
    expect(logLines(good.stdout()).some((l) => l.source === 'configured')).toBe(true);
    await good.stop();
    const bad = await wicket(dir, ['serve'], {
      env: { ...SERVE_ENV, WICKET_TLS_CERT: join(dir, 'a', 'wicket-selfsigned.crt'), WICKET_TLS_KEY: join(dir, 'b', 'wicket-selfsigned.key') },
    });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      `wicket: invalid configuration: WICKET_TLS_KEY: ${join(dir, 'b', 'wicket-selfsigned.key')} is not the private key of ${join(dir, 'a', 'wicket-selfsigned.crt')}\n`,
    );
  });

  it('refuses a port already in use with one line, and exits 1', async () => {
    const dir = tempDir();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const port = (blocker.address() as AddressInfo).port;
    const result = await wicket(dir, ['serve'], { env: { ...SERVE_ENV, WICKET_HTTP_PORT: String(port) } });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `wicket: cannot listen for HTTP on 127.0.0.1:${port} (WICKET_HTTP_PORT): the address is already in use (another Wicket or another server?)\n`,
    );
  });

  it('refuses a bad configuration before touching anything', async () => {
    const dir = tempDir();
    const result = await wicket(dir, ['serve'], { env: { WICKET_HTTP_PORT: 'eighty' } });
    expect(result).toMatchObject({
      code: 1,
      stderr: 'wicket: invalid configuration: WICKET_HTTP_PORT: must be a port from 1 to 65535, 0 to disable, or "auto"\n',
    });
    expect(() => statSync(join(dir, 'data'))).toThrow();
  });

  it('refuses a corrupt database with one line, for serve and the CLI, and leaves it alone', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'data'));
    const garbage = Buffer.alloc(8192, 'not sqlite ');
    writeFileSync(join(dir, 'data', 'wicket.db'), garbage);
    for (const args of [['serve'], ['account', 'list'], ['status']]) {
      const result = await wicket(dir, args, { env: SERVE_ENV });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `wicket: ${join(dir, 'data', 'wicket.db')} is not a valid Wicket database (corrupt or not SQLite); restore a backup or move it aside\n`,
      );
    }
    expect(readFileSync(join(dir, 'data', 'wicket.db')).equals(garbage)).toBe(true);
  });

  it('refuses a data directory that is a file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'data'), 'x');
    const result = await wicket(dir, ['account', 'list']);
    expect(result).toMatchObject({ code: 1, stderr: `wicket: data directory ${join(dir, 'data')} is not a directory\n` });
  });

  it('refuses a read-only data directory with one line and changes nothing', async (ctx) => {
    const dir = tempDir();
    await wicketOk(dir, ['domain', 'add', 'agents.example.com']);
    const before = dumpStore(dir);
    const data = join(dir, 'data');
    const readOnly = makeReadOnly(data);
    if (!readOnly) {
      ctx.skip('running as root without permission to mount: no way to make a directory read-only here');
      return;
    }
    onTestFinished(readOnly.undo);
    for (const args of [['account', 'create', 'a@agents.example.com'], ['domain', 'add', 'other.example.com']]) {
      const result = await wicket(dir, args);
      expect(result.code).toBe(1);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(new RegExp(`^wicket: (data directory ${data} is not writable|cannot open ${data}/wicket\\.db: the data directory is missing, not writable or on a failing disk)\\n$`));
    }
    readOnly.undo();
    expect(dumpStore(dir)).toEqual(before);
  });
});

/**
 * Makes a directory read-only for this process: as root (who ignores permission bits) by
 * bind-mounting it read-only over itself; otherwise with chmod.
 */
function makeReadOnly(path: string): { undo: () => void } | null {
  if (process.getuid?.() !== 0) {
    execFileSync('chmod', ['-R', 'a-w', path]);
    return { undo: () => execFileSync('chmod', ['-R', 'u+w', path]) };
  }
  try {
    execFileSync('mount', ['--bind', path, path], { stdio: 'ignore' });
  } catch {
    return null;
  }
  try {
    execFileSync('mount', ['-o', 'remount,bind,ro', path], { stdio: 'ignore' });
  } catch {
    execFileSync('umount', [path]);
    return null;
  }
  let mounted = true;
  return {
    undo: () => {
      if (mounted) execFileSync('umount', [path]);
      mounted = false;
    },
  };
}
