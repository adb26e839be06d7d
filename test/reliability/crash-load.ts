// The crash test's mixed load and its ledger: what every client sent, and which of it the
// gateway acknowledged (SMTP 250 after DATA, an API 200, IMAP OK with APPENDUID / COPYUID).
// Workers run until the gateway dies under them; an operation that was sent but never answered
// is recorded as pending, and after the restart either outcome is accepted for it — but only
// those two. `verify` then reads the database and holds every message to what was promised.
//
//   smtp  alice → bob (local) + a remote address (the outbound queue, relayed to the sink)
//   api   carol → bob + a remote address, POST /v3/grants/{id}/messages/send
//   mx    the world → erin, on the MX listener
//   imap  imapN: APPEND to Work, STORE +FLAGS, UID MOVE to Done, STORE \Deleted + UID EXPUNGE
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Database from 'better-sqlite3';
import { ImapLineClient, imapLogin } from '../helpers/imap-client.js';
import { PASSWORD } from '../helpers/cli.js';
import { appendUid, imapAppend, message, smtpSend } from './wire.js';

/** mulberry32: a small seeded generator, so a failing run can be replayed with its seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const DOMAIN = 'agents.example.com';
export const REMOTE = 'someone@remote.test';
export const ACCOUNTS = ['alice', 'bob', 'carol', 'erin', 'imap1', 'imap2'] as const;
export const IMAP_USERS = ['imap1', 'imap2'] as const;
export const email = (local: string): string => `${local}@${DOMAIN}`;

type Kind = 'smtp' | 'api' | 'mx';

/** A message sent over SMTP, the API or the MX, and where its copies must be. */
export interface Sent {
  token: string;
  kind: Kind;
  round: number;
  acked: boolean;
  /** account email → the folder its one copy must be in. */
  copies: Map<string, string>;
  /** The account whose copy decides whether the message was stored at all (all copies or none). */
  primary: string;
  remote: boolean;
  /** Whether the first restart after it found it stored (what an unanswered one must then stay). */
  storedAtFirstLook?: boolean;
}

/** Where an IMAP-managed message is: a folder, its UID and flags; or nowhere (folder null). */
export interface Place {
  folder: 'Work' | 'Done' | null;
  /** 0: not known yet (a MOVE not answered). */
  uid: number;
  flags: Set<string>;
}

export interface ImapMessage {
  token: string;
  account: string;
  /** Null until the APPEND was acknowledged (or its unanswered APPEND was found stored). */
  place: Place | null;
  /** An operation sent but never answered: its outcome is allowed as well as `place`. */
  pending: { op: 'append' | 'store' | 'move' | 'expunge'; after: Place } | null;
}

export interface FolderFacts {
  uidValidity: number;
  uidNext: number;
}

export class Ledger {
  readonly sent: Sent[] = [];
  readonly imap: ImapMessage[] = [];
  /** "email/folder" → what was first seen (UIDVALIDITY) and last seen (UIDNEXT). */
  readonly folders = new Map<string, FolderFacts>();
  /** "email/folder" → the highest UID the gateway acknowledged or was seen to use. */
  readonly highestUid = new Map<string, number>();
  /** Public ids of stored copies seen by `verify`, each of which a message.created webhook must name. */
  readonly storedIds = new Set<string>();
  /** Refusals nobody expected (a 4xx/5xx, an IMAP NO) and broken promises, as sentences. */
  readonly violations: string[] = [];
  /** How often the gateway answered each kind of operation, acknowledged. */
  readonly acks: Record<string, number> = { smtp: 0, api: 0, mx: 0, append: 0, store: 0, move: 0, expunge: 0 };
  /** Tokens of messages found missing / found more than once (each counted once). */
  readonly lostTokens = new Set<string>();
  readonly duplicatedTokens = new Set<string>();
  /** Unanswered messages found stored after the restart (allowed: the answer was lost). */
  storedUnanswered = 0;

  violation(text: string): void {
    if (this.violations.length < 200) this.violations.push(text);
  }

  get lost(): number {
    return this.lostTokens.size;
  }

  get duplicated(): number {
    return this.duplicatedTokens.size;
  }

  /** Every message the gateway acknowledged (SMTP 250, API 200, APPEND OK). */
  get acknowledged(): number {
    return this.acks.smtp! + this.acks.api! + this.acks.mx! + this.acks.append!;
  }
}

export interface LoadTarget {
  ports: Record<string, number>;
  apiKey: string;
  /** carol's grant id (the API sender). */
  carolId: string;
}

/** Runs the mixed load until `stop()` is true or the gateway dies; resolves when every worker ended. */
export async function runLoad(ledger: Ledger, target: LoadTarget, round: number, random: () => number, stop: () => boolean): Promise<void> {
  // A message now and then is big, so writes of some size are in flight when the kill comes.
  const size = () => (random() < 0.1 ? 64 * 1024 + Math.floor(random() * 256 * 1024) : Math.floor(random() * 4096));
  let n = 0;
  const token = (kind: string, w: number) => `${kind}${w}-r${round}-${++n}-${Math.floor(random() * 1e9).toString(36)}`;

  const submitter = async (w: number) => {
    while (!stop()) {
      const t = token('smtp', w);
      const entry: Sent = { token: t, kind: 'smtp', round, acked: false, copies: new Map([[email('alice'), 'Sent'], [email('bob'), 'INBOX']]), primary: email('alice'), remote: true };
      ledger.sent.push(entry);
      const reply = await smtpSend({
        port: target.ports.submission!,
        auth: { user: email('alice'), pass: PASSWORD },
        mailFrom: email('alice'),
        rcptTo: [email('bob'), REMOTE],
        raw: message({ from: email('alice'), to: [email('bob'), REMOTE], token: t, size: size() }),
      }).catch(() => null);
      if (reply === null) return; // the gateway died under this message: unanswered
      if (!reply.startsWith('250 ')) {
        ledger.violation(`SMTP submission of ${t} refused: ${reply}`);
        return;
      }
      entry.acked = true;
      ledger.acks.smtp!++;
    }
  };

  const inbound = async (w: number) => {
    while (!stop()) {
      const t = token('mx', w);
      const entry: Sent = { token: t, kind: 'mx', round, acked: false, copies: new Map([[email('erin'), 'INBOX']]), primary: email('erin'), remote: false };
      ledger.sent.push(entry);
      const reply = await smtpSend({
        port: target.ports.mx!,
        mailFrom: 'sender@external.test',
        rcptTo: [email('erin')],
        raw: message({ from: 'Sender <sender@external.test>', to: [email('erin')], token: t, size: size() }),
      }).catch(() => null);
      if (reply === null) return;
      if (!reply.startsWith('250 ')) {
        ledger.violation(`MX delivery of ${t} refused: ${reply}`);
        return;
      }
      entry.acked = true;
      ledger.acks.mx!++;
    }
  };

  const apiSender = async (w: number) => {
    while (!stop()) {
      const t = token('api', w);
      const entry: Sent = { token: t, kind: 'api', round, acked: false, copies: new Map([[email('carol'), 'Sent'], [email('bob'), 'INBOX']]), primary: email('carol'), remote: true };
      ledger.sent.push(entry);
      let status: number;
      try {
        const res = await fetch(`http://127.0.0.1:${target.ports.http}/v3/grants/${target.carolId}/messages/send`, {
          method: 'POST',
          headers: { authorization: `Bearer ${target.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ to: [{ email: email('bob') }, { email: REMOTE }], subject: t, body: `${t}\n${'x'.repeat(size())}`, is_plaintext: true }),
        });
        status = res.status;
        await res.text();
      } catch {
        return;
      }
      if (status !== 200) {
        ledger.violation(`API send of ${t} answered ${status}`);
        return;
      }
      entry.acked = true;
      ledger.acks.api!++;
    }
  };

  const imapWorker = async (local: string, w: number) => {
    const account = email(local);
    let client: ImapLineClient;
    try {
      client = await imapLogin(target.ports.imap!, account, PASSWORD);
      const selected = await client.transact('SELECT Work');
      if (!selected.tagged.includes('OK')) return ledger.violation(`SELECT Work for ${account}: ${selected.tagged}`);
      const validity = /UIDVALIDITY (\d+)/.exec(selected.untagged.join('\n'));
      const known = ledger.folders.get(`${account}/Work`);
      if (known && validity && Number(validity[1]) !== known.uidValidity) ledger.violation(`${account}/Work UIDVALIDITY changed to ${validity[1]}`);
    } catch {
      return;
    }
    const mine = () => ledger.imap.filter((m) => m.account === account && m.pending === null && m.place?.folder === 'Work');
    const pick = () => {
      const list = mine();
      return list.length > 0 ? list[Math.floor(random() * list.length)]! : null;
    };
    const expectUid = (folder: 'Work' | 'Done', validity: number, uid: number, what: string) => {
      const key = `${account}/${folder}`;
      const facts = ledger.folders.get(key);
      if (facts && validity !== facts.uidValidity) ledger.violation(`${what}: UIDVALIDITY ${validity}, was ${facts.uidValidity}`);
      const highest = ledger.highestUid.get(key) ?? 0;
      if (uid <= highest) ledger.violation(`${what}: UID ${uid} in ${key} is not above ${highest} (UIDs must strictly ascend)`);
      ledger.highestUid.set(key, Math.max(highest, uid));
    };
    try {
      while (!stop()) {
        const dice = random();
        const victim = dice < 0.45 ? null : pick();
        if (!victim) {
          const t = token('imap', w);
          const m: ImapMessage = { token: t, account, place: null, pending: { op: 'append', after: { folder: 'Work', uid: 0, flags: new Set(['\\Seen']) } } };
          ledger.imap.push(m);
          const tagged = await imapAppend(client, 'Work', message({ from: account, to: [account], token: t, size: size() }), ['\\Seen']);
          const uid = appendUid(tagged);
          if (!uid) return ledger.violation(`APPEND ${t}: ${tagged}`);
          expectUid('Work', uid.uidValidity, uid.uid, `APPEND ${t}`);
          m.place = { folder: 'Work', uid: uid.uid, flags: new Set(['\\Seen']) };
          m.pending = null;
          ledger.acks.append!++;
        } else if (dice < 0.65) {
          const place = victim.place!;
          const keyword = `$K${n++}`;
          victim.pending = { op: 'store', after: { ...place, flags: new Set([...place.flags, '\\Flagged', keyword]) } };
          const r = await client.transact(`UID STORE ${place.uid} +FLAGS (\\Flagged ${keyword})`);
          if (!r.tagged.includes('OK')) return ledger.violation(`STORE ${victim.token}: ${r.tagged}`);
          victim.place = victim.pending.after;
          victim.pending = null;
          ledger.acks.store!++;
        } else if (dice < 0.8) {
          const place = victim.place!;
          victim.pending = { op: 'move', after: { folder: 'Done', uid: 0, flags: place.flags } };
          const r = await client.transact(`UID MOVE ${place.uid} Done`);
          const copy = /COPYUID (\d+) \d+ (\d+)/.exec([...r.untagged, r.tagged].join('\n'));
          if (!r.tagged.includes('OK') || !copy) return ledger.violation(`MOVE ${victim.token}: ${r.tagged}`);
          expectUid('Done', Number(copy[1]), Number(copy[2]), `MOVE ${victim.token}`);
          victim.place = { folder: 'Done', uid: Number(copy[2]), flags: place.flags };
          victim.pending = null;
          ledger.acks.move!++;
        } else {
          const place = victim.place!;
          victim.pending = { op: 'store', after: { ...place, flags: new Set([...place.flags, '\\Deleted']) } };
          const flagged = await client.transact(`UID STORE ${place.uid} +FLAGS.SILENT (\\Deleted)`);
          if (!flagged.tagged.includes('OK')) return ledger.violation(`STORE \\Deleted ${victim.token}: ${flagged.tagged}`);
          victim.place = victim.pending.after;
          victim.pending = { op: 'expunge', after: { folder: null, uid: 0, flags: new Set() } };
          const r = await client.transact(`UID EXPUNGE ${place.uid}`);
          if (!r.tagged.includes('OK')) return ledger.violation(`UID EXPUNGE ${victim.token}: ${r.tagged}`);
          victim.place = victim.pending.after;
          victim.pending = null;
          ledger.acks.expunge!++;
        }
      }
      client.destroy();
    } catch {
      // The gateway died under this operation: it stays pending.
    }
  };

  await Promise.all([
    submitter(1),
    submitter(2),
    inbound(1),
    apiSender(1),
    ...IMAP_USERS.map((local, i) => imapWorker(local, i + 1)),
  ]);
}

interface Row {
  subject: string;
  email: string;
  folder: string;
  uid: number;
  public_id: string;
  seen: number;
  flagged: number;
  deleted: number;
  answered: number;
  draft: number;
  keywords: string;
}

const flagsOf = (r: Row): Set<string> => {
  const flags = new Set<string>(JSON.parse(r.keywords) as string[]);
  if (r.seen) flags.add('\\Seen');
  if (r.flagged) flags.add('\\Flagged');
  if (r.deleted) flags.add('\\Deleted');
  if (r.answered) flags.add('\\Answered');
  if (r.draft) flags.add('\\Draft');
  return flags;
};

const subset = (a: Set<string>, b: Set<string>) => [...a].every((x) => b.has(x));

/**
 * Holds the store (a read-only connection, after the restart) to every promise: each
 * acknowledged message present exactly once where it belongs, acknowledged flags set, an
 * unanswered operation either done or not (nothing in between), copies of one message stored
 * all or none, UIDVALIDITY unchanged, UIDs ascending and never reused.
 */
export function verify(ledger: Ledger, db: Database.Database): void {
  const rows = db
    .prepare(
      `SELECT m.subject, a.email, f.name AS folder, m.uid, m.public_id, m.seen, m.flagged, m.deleted, m.answered, m.draft, m.keywords
       FROM messages m JOIN folders f ON f.id = m.folder_id JOIN accounts a ON a.id = m.account_id`,
    )
    .all() as Row[];
  const bySubject = new Map<string, Row[]>();
  for (const r of rows) {
    const list = bySubject.get(r.subject) ?? [];
    list.push(r);
    bySubject.set(r.subject, list);
  }

  // Folders: UIDVALIDITY as first seen; UIDNEXT never goes back; every UID below it.
  const folders = db
    .prepare(
      `SELECT a.email, f.name, f.uid_validity, f.uid_next, (SELECT MAX(uid) FROM messages m WHERE m.folder_id = f.id) AS max_uid
       FROM folders f JOIN accounts a ON a.id = f.account_id`,
    )
    .all() as { email: string; name: string; uid_validity: number; uid_next: number; max_uid: number | null }[];
  for (const f of folders) {
    const key = `${f.email}/${f.name}`;
    const known = ledger.folders.get(key);
    if (known && known.uidValidity !== f.uid_validity) ledger.violation(`${key}: UIDVALIDITY ${f.uid_validity}, was ${known.uidValidity}`);
    if (known && f.uid_next < known.uidNext) ledger.violation(`${key}: UIDNEXT went back from ${known.uidNext} to ${f.uid_next}`);
    if (f.max_uid !== null && f.max_uid >= f.uid_next) ledger.violation(`${key}: UID ${f.max_uid} is not below UIDNEXT ${f.uid_next}`);
    const acked = ledger.highestUid.get(key) ?? 0;
    if (acked >= f.uid_next) ledger.violation(`${key}: acknowledged UID ${acked} is not below UIDNEXT ${f.uid_next} (it would be used again)`);
    ledger.folders.set(key, { uidValidity: known?.uidValidity ?? f.uid_validity, uidNext: f.uid_next });
    // New UIDs must come above everything this folder ever used, answered or not.
    ledger.highestUid.set(key, Math.max(acked, f.uid_next - 1));
  }

  // Messages sent over SMTP, the API and the MX, after every restart: an acknowledged one must
  // be there every time; an unanswered one, stored or not when first looked at, stays so.
  for (const s of ledger.sent) {
    const found = bySubject.get(s.token) ?? [];
    const inAccount = (account: string) => found.filter((r) => r.email === account);
    const stored = inAccount(s.primary).length;
    if (s.storedAtFirstLook === undefined) {
      s.storedAtFirstLook = stored > 0;
      if (!s.acked && stored > 0) ledger.storedUnanswered++;
    } else if (!s.acked && s.storedAtFirstLook !== stored > 0) {
      ledger.violation(`${s.kind} ${s.token}: unanswered, ${s.storedAtFirstLook ? 'stored' : 'absent'} after one restart but not after a later one`);
    }
    const mustBeThere = s.acked || s.storedAtFirstLook;
    for (const [account, folder] of s.copies) {
      const copies = inAccount(account);
      if (mustBeThere && copies.length === 0) {
        ledger.lostTokens.add(s.token);
        ledger.violation(`${s.kind} ${s.token} ${s.acked ? 'acknowledged' : 'stored before'}, but ${account} has no copy`);
      }
      if (copies.length > 1) {
        ledger.duplicatedTokens.add(s.token);
        ledger.violation(`${s.kind} ${s.token}: ${account} has ${copies.length} copies`);
      }
      if (copies.length !== stored) ledger.violation(`${s.kind} ${s.token}: ${account} has ${copies.length} copies, ${s.primary} ${stored} (one transaction stores all or none)`);
      for (const c of copies) {
        if (c.folder !== folder) ledger.violation(`${s.kind} ${s.token}: ${account}'s copy is in ${c.folder}, not ${folder}`);
        ledger.storedIds.add(c.public_id);
      }
    }
    const strays = found.filter((r) => !s.copies.has(r.email));
    if (strays.length > 0) ledger.violation(`${s.kind} ${s.token}: copies in ${strays.map((r) => r.email).join(', ')}`);
  }

  // IMAP messages: where the acknowledged operations put them, or where the unanswered one did.
  for (const m of ledger.imap) {
    if (m.place === null && m.pending === null) continue;
    const found = (bySubject.get(m.token) ?? []).filter((r) => r.email === m.account);
    if (found.length > 1) {
      ledger.duplicatedTokens.add(m.token);
      ledger.violation(`IMAP ${m.token}: ${found.length} copies (${found.map((r) => `${r.folder}/${r.uid}`).join(', ')})`);
      continue;
    }
    const row = found[0];
    const seen: Place = row ? { folder: row.folder as Place['folder'], uid: row.uid, flags: flagsOf(row) } : { folder: null, uid: 0, flags: new Set() };
    const fits = (p: Place | null) => {
      if (p === null) return seen.folder === null;
      if (p.folder !== seen.folder) return false;
      if (p.folder === null) return true;
      return (p.uid === 0 || p.uid === seen.uid) && subset(p.flags, seen.flags);
    };
    const allowed = [m.place, ...(m.pending ? [m.pending.after] : [])];
    if (!allowed.some(fits)) {
      if (m.place && m.place.folder !== null && seen.folder === null) ledger.lostTokens.add(m.token);
      ledger.violation(
        `IMAP ${m.token}: found ${seen.folder ? `${seen.folder}/${seen.uid} (${[...seen.flags].join(' ')})` : 'nowhere'}; acknowledged ${
          m.place ? `${m.place.folder ?? 'expunged'}/${m.place.uid} (${[...m.place.flags].join(' ')})` : 'nothing'
        }${m.pending ? `, unanswered ${m.pending.op}` : ''}`,
      );
    }
    if (m.pending?.op === 'append' && row) ledger.storedUnanswered++;
    // From now on the store's state is the truth the next operations start from.
    m.place = row ? seen : m.place === null ? null : { folder: null, uid: 0, flags: new Set() };
    m.pending = null;
    if (row) ledger.storedIds.add(row.public_id);
  }
}

export interface Hook {
  url: string;
  /** Every delivery's parsed body, in arrival order. */
  received: { id: string; type: string; objectId: string }[];
}

/**
 * The webhook endpoint: answers the challenge (GET ?challenge=X → X) and 200 to every POST,
 * recording it. A gateway killed in the middle of a POST is not an error here.
 */
export async function startHook(): Promise<Hook & { close(): Promise<void> }> {
  const received: Hook['received'] = [];
  const server = createServer((req, res) => {
    req.on('error', () => res.destroy());
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(url.searchParams.get('challenge') ?? '');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string; type: string; data?: { object?: { id?: string } } };
        received.push({ id: String(body.id), type: body.type, objectId: String(body.data?.object?.id) });
      } catch {
        // not JSON: not ours to judge here
      }
      res.writeHead(200).end('ok');
    });
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
