// Issue 10 item 8 — TLS: on every TLS listener (IMAPS, IMAP STARTTLS, SMTP submissions,
// submission STARTTLS, MX STARTTLS, HTTPS) only TLS 1.2 and 1.3 are spoken, TLS 1.2 only with
// ECDHE and AEAD suites, without compression or renegotiation; checked the testssl way, with
// `openssl s_client` handshakes against the real `wicket serve`. And SIGHUP reloads the
// certificate: open sessions carry on, new handshakes get the new pair, a broken pair is
// refused with an error in the log and the old one stays.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { Agent, get as httpsGet } from 'node:https';
import { type Socket, connect as netConnect } from 'node:net';
import { join } from 'node:path';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';
import { describe, expect, it, onTestFinished } from 'vitest';
import { TLS12_CIPHERS } from '../../src/tls.js';
import { PASSWORD, wicketOk } from '../helpers/cli.js';
import { ImapLineClient } from '../helpers/imap-client.js';
import { type ServeProcess, startServe } from '../helpers/serve.js';
import { SmtpLineClient, plain } from '../helpers/smtp-client.js';
import { tempDir } from '../helpers/tmp.js';
import { CI, figure } from './figures.js';
import { type Endpoint, ciphers, handshake, pool, renegotiate, selfSignedPair } from './openssl.js';

const LISTENERS = ['http', 'imap', 'imaps', 'submission', 'submissions', 'mx'];

async function startTlsServer(dir: string): Promise<{ server: ServeProcess; endpoints: Endpoint[]; certFile: string; keyFile: string; first: string }> {
  const certFile = join(dir, 'tls.crt');
  const keyFile = join(dir, 'tls.key');
  const first = await selfSignedPair(certFile, keyFile, 'rsa', 'first.wicket.test');
  const server = await startServe(
    dir,
    {
      WICKET_HTTP_TLS: 'true',
      WICKET_IMAP_PORT: 'auto',
      WICKET_IMAPS_PORT: 'auto',
      WICKET_SUBMISSION_PORT: 'auto',
      WICKET_SUBMISSIONS_PORT: 'auto',
      WICKET_MX_PORT: 'auto',
      WICKET_TLS_CERT: certFile,
      WICKET_TLS_KEY: keyFile,
    },
    LISTENERS,
  );
  const p = server.ports;
  const endpoints: Endpoint[] = [
    { name: 'IMAPS', port: p.imaps! },
    { name: 'IMAP STARTTLS', port: p.imap!, starttls: 'imap' },
    { name: 'SMTP submissions', port: p.submissions! },
    { name: 'SMTP submission STARTTLS', port: p.submission!, starttls: 'smtp' },
    { name: 'SMTP MX STARTTLS', port: p.mx!, starttls: 'smtp' },
    { name: 'HTTPS', port: p.http! },
  ];
  return { server, endpoints, certFile, keyFile, first };
}

/** Client-side OpenSSL may itself refuse TLS 1.0/1.1 at its default level: lower it, so a failure is the server's. */
const ANY_CIPHER = ['-cipher', 'DEFAULT:@SECLEVEL=0'];

const logLines = (server: ServeProcess) =>
  server
    .stdout()
    .split('\n')
    .filter((l) => l.startsWith('{') && l.endsWith('}'))
    .map((l) => JSON.parse(l) as { msg: string; level: number; [k: string]: unknown });

async function waitForLog(server: ServeProcess, msg: string, count: number): Promise<{ msg: string; level: number; [k: string]: unknown }> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const found = logLines(server).filter((l) => l.msg === msg);
    if (found.length >= count) return found[count - 1]!;
    if (Date.now() > deadline) throw new Error(`no "${msg}" (#${count}) in the log:\n${server.stdout()}\n${server.stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A plaintext IMAP or SMTP connection that can be opened now and upgraded with STARTTLS later,
 * returning the certificate the server presented at that moment.
 */
class PlainThenTls {
  private buffer = '';
  private socket: Socket;
  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setEncoding('utf8').on('data', (d: string) => (this.buffer += d));
    socket.on('error', () => {});
    onTestFinished(() => {
      socket.destroy();
    });
  }
  static async open(port: number): Promise<PlainThenTls> {
    const c = new PlainThenTls(netConnect({ host: '127.0.0.1', port }));
    await c.until(/\r\n$/);
    return c;
  }
  private async until(pattern: RegExp): Promise<string> {
    const deadline = Date.now() + 10_000;
    while (!pattern.test(this.buffer)) {
      if (Date.now() > deadline) throw new Error(`timed out; have ${JSON.stringify(this.buffer)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const text = this.buffer;
    this.buffer = '';
    return text;
  }
  async upgrade(protocol: 'imap' | 'smtp'): Promise<string> {
    if (protocol === 'imap') {
      this.socket.write('S1 STARTTLS\r\n');
      expect(await this.until(/^S1 .*\r\n$/m)).toMatch(/^S1 OK/m);
    } else {
      this.socket.write('EHLO client.test\r\n');
      await this.until(/^250 .*\r\n$/m);
      this.socket.write('STARTTLS\r\n');
      expect(await this.until(/^\d{3} .*\r\n$/m)).toMatch(/^220 /);
    }
    this.socket.removeAllListeners('data');
    const secure: TLSSocket = tlsConnect({ socket: this.socket, rejectUnauthorized: false, servername: 'localhost' });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', () => resolve());
      secure.once('error', reject);
    });
    const fingerprint = secure.getPeerCertificate().fingerprint256;
    secure.destroy();
    return fingerprint;
  }
}

/** GET over an HTTPS keep-alive agent: the status, whether the socket was reused, and the certificate on it. */
function httpsGetOn(agent: Agent, port: number, path: string): Promise<{ status: number; reused: boolean; fingerprint: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsGet({ host: '127.0.0.1', port, path, agent, rejectUnauthorized: false }, (res: IncomingMessage) => {
      // Read now: at 'end' the socket is back in the agent's pool.
      const fingerprint = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket, fingerprint }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

describe('TLS (issue 10 item 8)', () => {
  it('every TLS listener speaks TLS 1.2+ only, ECDHE + AEAD suites only, no compression, no renegotiation', async () => {
    const dir = tempDir();
    const { server, endpoints, first } = await startTlsServer(dir);

    // Protocol versions: 1.0 and 1.1 refused by the server (its protocol_version alert), 1.2 and 1.3 spoken.
    for (const e of endpoints) {
      for (const old of ['-tls1', '-tls1_1']) {
        const h = await handshake(e, [old, ...ANY_CIPHER]);
        expect(h.protocol, `${e.name} ${old}\n${h.output}`).toBeNull();
        expect(h.alert, `${e.name} ${old}\n${h.output}`).toBe('protocol version');
      }
      const v12 = await handshake(e, ['-tls1_2']);
      expect(v12.protocol, `${e.name}\n${v12.output}`).toBe('TLSv1.2');
      expect(v12.fingerprint).toBe(first);
      // Forward secrecy: an ephemeral (EC)DH key; no TLS compression (CRIME); RFC 5746 on.
      expect(v12.tempKey, e.name).toMatch(/^(X25519|X448|ECDH, P-\d+|P-\d+)/);
      expect(v12.compression, e.name).toBe('NONE');
      expect(v12.secureRenegotiation, e.name).toBe(true);
      const v13 = await handshake(e, ['-tls1_3']);
      expect(v13.protocol, `${e.name}\n${v13.output}`).toBe('TLSv1.3');
    }
    figure('tls.protocols_refused', 'TLSv1, TLSv1.1 (protocol_version alert) on 6 of 6 listeners');
    figure('tls.protocols_accepted', 'TLSv1.2, TLSv1.3 on 6 of 6 listeners');

    // Renegotiation: refused outright (a client could otherwise make the server redo RSA work).
    for (const e of endpoints) {
      const r = await renegotiate(e);
      expect(r.renegotiated, `${e.name}\n${r.output}`).toBe(false);
      expect(r.refused, `${e.name}\n${r.output}`).toBe(true);
    }
    figure('tls.renegotiation', 'client-initiated renegotiation refused (no_renegotiation) on 6 of 6 listeners');

    // Weak classes, each offered alone over TLS 1.2: no handshake. (A class this OpenSSL no
    // longer builds — RC4, 3DES, export — cannot even be offered; the server's library lacks it too.)
    const weak = ['aNULL', 'eNULL', 'NULL', 'EXPORT', 'RC4', '3DES', 'DES', 'MD5', 'kRSA', 'SHA1', 'DHE', 'CAMELLIA', 'ARIA', 'PSK', 'SRP', 'SEED', 'IDEA'];
    const weakTried: string[] = [];
    const notBuilt: string[] = [];
    for (const spec of weak) {
      const offered = await ciphers(`${spec}:@SECLEVEL=0`);
      if (offered.length === 0) {
        notBuilt.push(spec);
        continue;
      }
      weakTried.push(spec);
      for (const e of endpoints) {
        const h = await handshake(e, ['-tls1_2', '-cipher', `${spec}:@SECLEVEL=0`]);
        expect(h.protocol, `${e.name} accepted a ${spec} suite: ${h.cipher}`).toBeNull();
      }
    }
    figure('tls.weak_classes_refused', `${weakTried.join(', ')} on 6 of 6 listeners; not offered by this OpenSSL: ${notBuilt.join(', ') || 'none'}`);

    // Every TLS 1.2 suite this OpenSSL knows, one at a time, on every listener: the accepted
    // ones are exactly our ECDHE + AEAD list (for an RSA key; the ECDSA ones need an EC key).
    // Under CI, on one listener of each TLS stack: node's tls.Server, smtp-server, https.
    const all = await ciphers('ALL:COMPLEMENTOFALL:@SECLEVEL=0');
    expect(all.length).toBeGreaterThan(30);
    const swept = CI ? endpoints.filter((e) => ['IMAPS', 'SMTP submission STARTTLS', 'HTTPS'].includes(e.name)) : endpoints;
    const accepted = new Map<string, string[]>();
    for (const e of swept) {
      const results = await pool(all, 6, async (c) => ((await handshake(e, ['-tls1_2', '-cipher', `${c}:@SECLEVEL=0`])).cipher === c ? c : null));
      accepted.set(e.name, results.filter((c): c is string => c !== null));
    }
    const rsaSuites = TLS12_CIPHERS.filter((c) => c.startsWith('ECDHE-RSA-'));
    for (const [name, list] of accepted) {
      expect([...list].sort(), name).toEqual([...rsaSuites].sort());
      for (const c of list) expect(c, name).toMatch(/^ECDHE-(RSA|ECDSA)-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)$/);
    }
    figure('tls.tls12_suites_tried', all.length * swept.length, `handshakes (${all.length} suites × ${swept.length} listeners)`);
    figure('tls.tls12_suites_accepted', `${accepted.get('IMAPS')!.join(', ')} (the same on ${swept.length} of ${swept.length} listeners swept, RSA certificate)`);

    const tls13 = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_CCM_SHA256', 'TLS_AES_128_CCM_8_SHA256'];
    const accepted13 = new Set<string>();
    for (const e of endpoints) {
      for (const suite of tls13) {
        const h = await handshake(e, ['-tls1_3', '-ciphersuites', suite]);
        if (h.cipher === suite) accepted13.add(`${e.name}/${suite}`);
      }
    }
    const suites13 = [...new Set([...accepted13].map((s) => s.split('/')[1]!))];
    expect(suites13.sort()).toEqual(['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256']);
    expect(accepted13.size).toBe(3 * endpoints.length);
    figure('tls.tls13_suites_accepted', `${suites13.join(', ')} (6 of 6 listeners; CCM suites refused)`);

    expect(await server.stop()).toBe(0);
  });

  it('SIGHUP reloads the certificate: open sessions carry on, new handshakes get the new pair, a broken pair keeps the old one', async () => {
    const dir = tempDir();
    await wicketOk(dir, ['domain', 'add', 'agents.example.com']);
    await wicketOk(dir, ['account', 'create', 'sales@agents.example.com', '--app-password', PASSWORD]);
    await wicketOk(dir, ['account', 'create', 'bob@agents.example.com']);
    const { server, endpoints, certFile, keyFile, first } = await startTlsServer(dir);
    const p = server.ports;
    const user = 'sales@agents.example.com';

    // Sessions opened before the reload, each past its handshake and logged in.
    const imaps = (await ImapLineClient.connect(p.imaps!, { tls: true })).client;
    expect((await imaps.transact(`LOGIN ${user} "${PASSWORD}"`)).tagged).toMatch(/OK/);
    expect((await imaps.transact('SELECT INBOX')).tagged).toMatch(/OK/);
    const imapStarttls = (await ImapLineClient.connect(p.imap!)).client;
    await imapStarttls.startTls();
    expect((await imapStarttls.transact(`LOGIN ${user} "${PASSWORD}"`)).tagged).toMatch(/OK/);
    const smtps = (await SmtpLineClient.connect(p.submissions!, { tls: true })).client;
    expect(await smtps.cmd('EHLO client.test')).toMatch(/^250/);
    expect(await smtps.cmd(`AUTH PLAIN ${plain(user, PASSWORD)}`)).toMatch(/^235/);
    const submission = (await SmtpLineClient.connect(p.submission!)).client;
    expect(await submission.cmd('EHLO client.test')).toMatch(/^250/);
    await submission.startTls();
    expect(await submission.cmd('EHLO client.test')).toMatch(/^250/);
    expect(await submission.cmd(`AUTH PLAIN ${plain(user, PASSWORD)}`)).toMatch(/^235/);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    onTestFinished(() => agent.destroy());
    const http1 = await httpsGetOn(agent, p.http!, '/healthz');
    expect([http1.status, http1.fingerprint]).toEqual([200, first]);
    // Plaintext sessions that will only ask for STARTTLS after the reload.
    const lateImap = await PlainThenTls.open(p.imap!);
    const lateSmtp = await PlainThenTls.open(p.submission!);

    const stillWorking = async (round: string) => {
      expect((await imaps.transact('NOOP')).tagged, `IMAPS ${round}`).toMatch(/OK/);
      expect((await imaps.transact('UID FETCH 1:* (FLAGS)')).tagged, `IMAPS ${round}`).toMatch(/OK/);
      expect((await imapStarttls.transact('STATUS INBOX (MESSAGES)')).tagged, `IMAP STARTTLS ${round}`).toMatch(/OK/);
      for (const [name, c] of [['SMTPS', smtps], ['submission STARTTLS', submission]] as const) {
        expect(await c.cmd(`MAIL FROM:<${user}>`), `${name} ${round}`).toMatch(/^250/);
        expect(await c.cmd('RCPT TO:<bob@agents.example.com>'), `${name} ${round}`).toMatch(/^250/);
        expect(await c.cmd('DATA'), `${name} ${round}`).toMatch(/^354/);
        expect(await c.cmd(`Subject: ${name} ${round}\r\n\r\nsent over a session opened before the reload\r\n.`), `${name} ${round}`).toMatch(/^250/);
      }
      const http = await httpsGetOn(agent, p.http!, '/healthz');
      expect(http, `HTTPS ${round}`).toEqual({ status: 200, reused: true, fingerprint: first });
      return 5;
    };
    const seen = async () => Promise.all(endpoints.map(async (e) => (await handshake(e, ['-tls1_2'])).fingerprint));

    expect(await seen()).toEqual(endpoints.map(() => first));

    // 1. A new pair (EC this time), then SIGHUP.
    const second = await selfSignedPair(certFile, keyFile, 'ec', 'second.wicket.test');
    expect(second).not.toBe(first);
    server.child.kill('SIGHUP');
    const reloaded = await waitForLog(server, 'tls certificate reloaded', 1);
    expect(reloaded.fingerprint).toBe(second);
    expect(await seen()).toEqual(endpoints.map(() => second));
    expect(await lateImap.upgrade('imap')).toBe(second);
    expect(await lateSmtp.upgrade('smtp')).toBe(second);
    const kept = await stillWorking('after the reload');
    // With an EC key, the ECDSA suites are the ones spoken now: exactly our three.
    const ecdsa = (await ciphers('aECDSA:@SECLEVEL=0')).filter((c) => c.includes('ECDSA'));
    const ecdsaAccepted = (await pool(ecdsa, 6, async (c) => ((await handshake(endpoints[0]!, ['-tls1_2', '-cipher', `${c}:@SECLEVEL=0`])).cipher === c ? c : null))).filter(
      (c): c is string => c !== null,
    );
    expect(ecdsaAccepted.sort()).toEqual(TLS12_CIPHERS.filter((c) => c.startsWith('ECDHE-ECDSA-')).sort());
    figure('tls.tls12_suites_accepted_ec_key', `${ecdsaAccepted.join(', ')} (IMAPS after the reload to an EC certificate; ${ecdsa.length} ECDSA suites tried)`);

    // 2. Broken pairs: garbage certificate, missing key, a key of another pair. Each SIGHUP
    // logs an error naming the file, and the last good pair stays.
    const goodCert = readFileSync(certFile);
    const goodKey = readFileSync(keyFile);
    const otherKeyDir = tempDir();
    await selfSignedPair(join(otherKeyDir, 'c'), join(otherKeyDir, 'k'), 'ec', 'other.wicket.test');
    const otherKey = readFileSync(join(otherKeyDir, 'k'));
    const broken: [string, () => void, RegExp][] = [
      ['garbage certificate', () => writeFileSync(certFile, 'not a certificate\n'), /WICKET_TLS_CERT: .* is not a PEM certificate/],
      ['missing key', () => (writeFileSync(certFile, goodCert), rmSync(keyFile)), /WICKET_TLS_KEY: cannot read .* \(ENOENT\)/],
      ['key of another pair', () => writeFileSync(keyFile, otherKey), /WICKET_TLS_KEY: .* is not the private key of/],
    ];
    let failures = 0;
    for (const [what, breakIt, message] of broken) {
      breakIt();
      server.child.kill('SIGHUP');
      const failed = await waitForLog(server, 'tls certificate reload failed; keeping the current certificate', ++failures);
      expect(failed.level, what).toBe(50);
      expect(String(failed.error), what).toMatch(message);
      expect(String(failed.error), what).not.toContain('PRIVATE KEY');
      expect(await seen(), what).toEqual(endpoints.map(() => second));
      await stillWorking(`after a ${what}`);
    }
    expect(server.child.exitCode).toBeNull();
    figure('tls.reload.broken_pairs_refused', `${failures} of ${broken.length} (garbage certificate, missing key, mismatched key): error logged, old certificate kept, server up`);

    // 3. Put a good pair back: the next SIGHUP takes it.
    writeFileSync(keyFile, goodKey);
    const third = await selfSignedPair(certFile, keyFile, 'rsa', 'third.wicket.test');
    server.child.kill('SIGHUP');
    expect((await waitForLog(server, 'tls certificate reloaded', 2)).fingerprint).toBe(third);
    expect(await seen()).toEqual(endpoints.map(() => third));
    await stillWorking('after the second reload');

    figure('tls.reload.sessions_kept', `${kept} of 5 (IMAPS, IMAP after STARTTLS, SMTPS, submission after STARTTLS, HTTPS keep-alive) across 5 SIGHUPs`);
    figure('tls.reload.new_certificate_seen', '6 of 6 listeners, and STARTTLS on 2 plaintext sessions opened before the reload');

    imaps.destroy();
    imapStarttls.destroy();
    smtps.quit();
    submission.quit();
    expect(await server.stop()).toBe(0);
  });
});
