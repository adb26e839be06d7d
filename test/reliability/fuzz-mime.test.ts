// Issue 10, item 5 (SMTP half): malformed MIME — every shape a tolerant parser meets: missing
// and empty boundaries, multiparts nested hundreds deep without ends, broken base64 and
// quoted-printable, 8-bit and NUL bytes in headers, 1 MB lines, duplicate and colon-less
// header fields… (test/reliability/mime-corpus.ts) plus generated broken trees — delivered
// through the inbound MX to a local account. Each is stored byte for byte under the documented
// trace fields only (Return-Path, Received, and X-Wicket-Spam when scored), exactly once, or
// refused with a clear 5xx and nothing stored (bare CR/LF, RFC 5321 §2.3.8). Then every stored
// message is read back over IMAP (BODYSTRUCTURE, ENVELOPE, BODY[1.2.MIME], sections, the whole
// message, SEARCH) and over the API: no BAD, no SERVERBUG, no 5xx.
import fc from 'fast-check';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Account } from '../../src/store/types.js';
import { api, apiKey } from '../helpers/api.js';
import { startFakeDns } from '../helpers/dns-server.js';
import { PASSWORD, type TestGateway, startTestGateway } from '../helpers/gateway.js';
import { ImapLineClient, imapLogin } from '../helpers/imap-client.js';
import { SmtpLineClient } from '../helpers/smtp-client.js';
import { figure, scaled } from './figures.js';
import { MIME_CASES, brokenMimeArb } from './mime-corpus.js';
import { startWatchdog } from './watchdog.js';

const SEED = process.env.RELIABILITY_SEED ? Number(process.env.RELIABILITY_SEED) : Math.floor(Math.random() * 2 ** 31);
const GENERATED = scaled(2_000, 150);

/** What may sit above the sent bytes: whole trace fields (RFC 5321 §4.4) and the spam verdict. */
const TRACE = /^(?:(?:Return-Path|Received|X-Wicket-Spam):[^\r\n]*\r\n(?:[ \t][^\r\n]*\r\n)*)+$/;

/** RFC 5321 §4.5.2: a line that starts with "." gets another one on the wire. */
const dotStuff = (raw: Buffer): Buffer => Buffer.from(raw.toString('latin1').replace(/(^|\r\n)\./g, '$1..'), 'latin1');

interface Stored {
  id: number;
  folderId: number;
  folder: string;
  uid: number;
}

/** Every message of the account, by row id (read from the folders' in-memory UID indexes). */
function everything(g: TestGateway, account: Account): Map<string, Stored> {
  const { store } = g.gateway.services;
  const all = new Map<string, Stored>();
  for (const box of store.mail.listMailboxes(account.id)) {
    for (const uid of store.mail.mailboxIndex(box.id).uids) all.set(`${box.id}/${uid}`, { id: 0, folderId: box.id, folder: box.name, uid });
  }
  return all;
}

class Deliverer {
  accepted = 0;
  refused = 0;
  readonly stored: Stored[] = [];
  private constructor(
    private readonly g: TestGateway,
    private readonly bob: Account,
    private client: SmtpLineClient,
  ) {}

  static async open(g: TestGateway, bob: Account): Promise<Deliverer> {
    const { client } = await SmtpLineClient.connect(g.ports.mx);
    expect(await client.cmd('EHLO sender.example')).toMatch(/^250/);
    return new Deliverer(g, bob, client);
  }

  /** Sends one message over the MX; checks it is stored byte-exact once, or refused with nothing stored. */
  async deliver(name: string, raw: Buffer): Promise<void> {
    const before = everything(this.g, this.bob);
    if (this.client.closed) this.client = (await Deliverer.open(this.g, this.bob)).client;
    expect(await this.client.cmd('MAIL FROM:<alice@remote.example>'), name).toMatch(/^250 /);
    expect(await this.client.cmd(`RCPT TO:<${this.bob.email}>`), name).toMatch(/^250 /);
    expect(await this.client.cmd('DATA'), name).toMatch(/^354 /);
    this.client.write(dotStuff(raw));
    this.client.write(raw.subarray(-2).equals(Buffer.from('\r\n')) ? '.\r\n' : '\r\n.\r\n');
    const reply = await this.client.reply(60_000);
    const after = everything(this.g, this.bob);
    const added = [...after].filter(([key]) => !before.has(key)).map(([, m]) => m);
    if (/^5\d\d /.test(reply)) {
      this.refused++;
      // Refused: clearly (an enhanced status code and a reason), and nothing kept of it.
      expect(reply, name).toMatch(/^5\d\d 5\.\d+\.\d+ \S.{10,}/);
      expect(added, `${name}: refused but stored`).toEqual([]);
      return;
    }
    expect(reply, name).toMatch(/^250 2\.0\.0 OK: queued as /);
    this.accepted++;
    expect(added, `${name}: one copy`).toHaveLength(1);
    const copy = added[0]!;
    copy.id = this.g.gateway.services.store.mail.getMessages(copy.folderId, [copy.uid])[0]!.id;
    const bytes = this.g.gateway.services.store.mail.readMessage(copy.id)!;
    // Byte-exact: the sent message is the stored one's tail, and only trace fields are above it.
    const tail = bytes.subarray(bytes.length - raw.length);
    if (!tail.equals(raw)) {
      let at = 0;
      while (at < raw.length && tail[at] === raw[at]) at++;
      throw new Error(`${name}: stored bytes differ from those sent at byte ${at}: sent ${JSON.stringify(raw.toString('latin1', at, at + 60))}, stored ${JSON.stringify(tail.toString('latin1', at, at + 60))}`);
    }
    const prefix = bytes.subarray(0, bytes.length - raw.length).toString('latin1');
    expect(prefix, name).toMatch(TRACE);
    expect(prefix, name).toMatch(/^Return-Path: <alice@remote\.example>\r\nReceived: /);
    this.stored.push(copy);
  }
}

/** Reads every stored message back over IMAP; returns the number of FETCH commands run. */
async function readBackOverImap(g: TestGateway, bob: Account, stored: Stored[]): Promise<number> {
  const { store } = g.gateway.services;
  const client: ImapLineClient = await imapLogin(g.ports.imap, bob.email, PASSWORD);
  let fetches = 0;
  const byFolder = new Map<string, Stored[]>();
  for (const s of stored) byFolder.set(s.folder, [...(byFolder.get(s.folder) ?? []), s]);
  const ok = (r: { tagged: string; untagged: string[] }, what: string) => {
    expect(r.tagged, what).toMatch(/^\S+ OK /);
    expect(r.untagged.filter((l) => /SERVERBUG| BAD /.test(l)), what).toEqual([]);
  };
  for (const [folder, messages] of byFolder) {
    ok(await client.transact(`SELECT "${folder}"`), `SELECT ${folder}`);
    for (const m of messages) {
      const size = store.mail.readMessage(m.id)!.length;
      const what = `${folder} UID ${m.uid}`;
      ok(await client.transact(`UID FETCH ${m.uid} (BODYSTRUCTURE ENVELOPE BODY RFC822.SIZE INTERNALDATE FLAGS)`), `${what} structure`);
      ok(
        await client.transact(`UID FETCH ${m.uid} (BODY.PEEK[1.2.MIME] BODY.PEEK[1.MIME] BODY.PEEK[1] BODY.PEEK[2.1] BODY.PEEK[2.1.HEADER] BODY.PEEK[HEADER] BODY.PEEK[TEXT] BODY.PEEK[1.TEXT] BODY.PEEK[HEADER.FIELDS (SUBJECT FROM CONTENT-TYPE)])`),
        `${what} sections`,
      );
      const whole = await client.transact(`UID FETCH ${m.uid} (BODY.PEEK[])`);
      ok(whole, `${what} whole`);
      // The whole message comes back at its stored size.
      expect(whole.untagged.join('\n'), what).toContain(`BODY[] {${size}}`);
      fetches += 3;
    }
    ok(await client.transact('UID SEARCH OR SUBJECT generated TEXT "body" NOT HEADER Content-Type multipart'), `SEARCH ${folder}`);
    ok(await client.transact('UID SEARCH BODY "x" LARGER 10'), `SEARCH BODY ${folder}`);
  }
  await client.transact('LOGOUT');
  return fetches;
}

/** Reads every stored message back over the API (list, then each message and its raw form). */
async function readBackOverApi(g: TestGateway, bob: Account): Promise<number> {
  const key = apiKey(g);
  let reads = 0;
  let token: string | null = null;
  do {
    const page: { status: number; text: string; body: any } = await api(g, key, 'GET', `/v3/grants/${bob.id}/messages?limit=200${token ? `&page_token=${encodeURIComponent(token)}` : ''}`);
    expect(page.status, page.text.slice(0, 300)).toBe(200);
    for (const message of page.body.data as { id: string }[]) {
      const one = await api(g, key, 'GET', `/v3/grants/${bob.id}/messages/${message.id}`);
      expect(one.status, `message ${message.id}: ${one.text.slice(0, 300)}`).toBe(200);
      const raw = await api(g, key, 'GET', `/v3/grants/${bob.id}/messages/${message.id}/raw`);
      expect(raw.status, `raw ${message.id}`).toBe(200);
      reads += 2;
    }
    token = page.body.next_cursor ?? null;
  } while (token);
  return reads;
}

async function mimeGateway(): Promise<{ g: TestGateway; bob: Account }> {
  // Spam checks run on every inbound message; a local DNS server answers them at once.
  const dns = await startFakeDns();
  const g = await startTestGateway({ WICKET_DNS_SERVERS: dns.server, WICKET_DNS_TIMEOUT_MS: '200', WICKET_DNSBL_ZONES: '' });
  const bob = await g.account('bob');
  return { g, bob };
}

describe('malformed MIME through the MX: stored byte-exact or refused, and readable afterwards', () => {
  it(`${MIME_CASES.length} hand-written malformed messages`, async () => {
    const { g, bob } = await mimeGateway();
    const watchdog = startWatchdog('mime-cases', 60_000);
    onTestFinished(() => watchdog.stop());
    const d = await Deliverer.open(g, bob);
    for (const c of MIME_CASES) {
      watchdog.tick(c.raw);
      await d.deliver(c.name, c.raw);
      // Only the bare CR/LF cases are refused; everything else is taken as it came.
      expect(d.refused, c.name).toBe(MIME_CASES.slice(0, MIME_CASES.indexOf(c) + 1).filter((x) => x.name.startsWith('bare-')).length);
    }
    watchdog.pause();
    const fetches = await readBackOverImap(g, bob, d.stored);
    const reads = await readBackOverApi(g, bob);
    figure('mime cases delivered', MIME_CASES.length, 'messages');
    figure('mime cases stored byte-exact', d.accepted, 'messages');
    figure('mime cases refused with 5xx (bare CR/LF)', d.refused, 'messages');
    figure('mime cases IMAP fetches / API reads without error', `${fetches} / ${reads}`);
    expect(d.accepted + d.refused).toBe(MIME_CASES.length);
    expect(reads).toBe(2 * d.accepted);
  });

  it(`${GENERATED.toLocaleString('en')} generated broken MIME trees (seeded)`, async () => {
    figure('mime fuzz seed', String(SEED));
    const { g, bob } = await mimeGateway();
    const watchdog = startWatchdog('mime-generated', 60_000);
    onTestFinished(() => watchdog.stop());
    const d = await Deliverer.open(g, bob);
    let bytes = 0;
    await fc.assert(
      fc.asyncProperty(brokenMimeArb, async (raw) => {
        watchdog.tick(raw);
        bytes += raw.length;
        await d.deliver(`generated ${JSON.stringify(raw.toString('latin1').slice(0, 300))}`, raw);
      }),
      { numRuns: GENERATED, seed: SEED, endOnFailure: true },
    );
    watchdog.pause();
    const fetches = await readBackOverImap(g, bob, d.stored);
    const reads = await readBackOverApi(g, bob);
    figure('mime fuzz messages delivered', GENERATED, 'messages');
    figure('mime fuzz bytes delivered', bytes, 'bytes');
    figure('mime fuzz stored byte-exact', d.accepted, 'messages');
    figure('mime fuzz IMAP fetches / API reads without error', `${fetches} / ${reads}`);
    // The generator never makes bare line ends: every message is accepted.
    expect(d.accepted).toBe(GENERATED);
  });
});
