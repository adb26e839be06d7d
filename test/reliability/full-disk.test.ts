// Full disk (issue 10, item 2). The data directory's disk fills up while the gateway runs:
// every surface refuses new mail in its own precise terms — SMTP 452 4.3.1 (RFC 3463 X.3.1
// "mail system full", on submission and on the MX), IMAP APPEND NO [UNAVAILABLE] (RFC 5530),
// the API 507 (RFC 4918 §11.5) — and stores none of it, not even in part; reads go on (SELECT,
// FETCH, the API's GETs); the database passes PRAGMA integrity_check; and once space returns,
// the same requests succeed with no restart.
//
// Two ways to fill the disk, the same scenario on each:
//  - real: the data directory (database, WAL, -shm; message bodies live in the database) on a
//    small tmpfs, filled with a file until the kernel answers ENOSPC — where mount is permitted
//    (root with CAP_SYS_ADMIN; CI containers may refuse, and then this half is skipped and says so);
//  - injected, always: SqliteStore.simulateDiskFull caps the database at its current size, so
//    SQLite itself fails a write that would grow it with SQLITE_FULL, as on a full disk.
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { SqliteStore } from '../../src/store/sqlite/index.js';
import type { Account } from '../../src/store/types.js';
import { api, apiKey } from '../helpers/api.js';
import { PASSWORD, type TestGateway, startTestGateway } from '../helpers/gateway.js';
import { imapLogin } from '../helpers/imap-client.js';
import { WebClient, member } from '../helpers/web.js';
import { tempDir } from '../helpers/tmp.js';
import { figure } from './figures.js';
import { appendUid, imapAppend, message, smtpSend } from './wire.js';

const MB = 1024 * 1024;

/** What the database holds, to prove that a refused write left nothing behind. */
function counts(file: string): Record<string, number> {
  const db = new Database(file, { readonly: true });
  try {
    const n = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { messages: n('messages'), bodies: n('bodies'), queue: n('outbound_queue'), events: n('events') };
  } finally {
    db.close();
  }
}

function integrity(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

interface Disk {
  label: string;
  /** Fills the disk; `size` is how big a message must be to need space the disk no longer has. */
  fill(): Promise<{ size: number }>;
  /** Gives the space back. */
  free(): Promise<void>;
}

/**
 * The scenario both disks run. Returns how many refusals, reads and later writes it saw (the
 * test asserts each one as it goes).
 */
async function scenario(g: TestGateway, disk: Disk): Promise<void> {
  const file = join(g.gateway.config.dataDir, 'wicket.db');
  const alice = await g.account('alice');
  const bob = await g.account('bob');
  const key = apiKey(g);
  const ports = g.ports;
  const submit = (from: Account, to: Account, token: string, size = 0) =>
    smtpSend({
      port: ports.submission,
      auth: { user: from.email, pass: PASSWORD },
      mailFrom: from.email,
      rcptTo: [to.email],
      raw: message({ from: from.email, to: [to.email], token, size }),
    });
  const arrive = (to: Account, token: string, size = 0) =>
    smtpSend({ port: ports.mx, mailFrom: 'someone@external.test', rcptTo: [to.email], raw: message({ from: 'someone@external.test', to: [to.email], token, size }) });
  const send = (from: Account, to: Account, token: string, size = 0) =>
    api(g, key, 'POST', `/v3/grants/${from.id}/messages/send`, {
      to: [{ email: to.email }],
      subject: token,
      body: `${token}\n${'All work and no play makes Jack a dull boy. '.repeat(Math.ceil(size / 44))}`,
      is_plaintext: true,
    });

  // Mail stored while there is room: what the reads must still serve later.
  expect(await submit(alice, bob, 'before-1')).toMatch(/^250 /);
  expect(await arrive(bob, 'before-2')).toMatch(/^250 /);
  expect((await send(alice, bob, 'before-3')).status).toBe(200);
  const imap = await imapLogin(ports.imap, bob.email, PASSWORD);
  expect(await imapAppend(imap, 'INBOX', message({ from: bob.email, to: [bob.email], token: 'before-4' }), ['\\Flagged'])).toMatch(/OK \[APPENDUID/);
  const stored = 4;
  // A team member signed in to the dashboard (the session is a write: made while there is room).
  await member(g, 'ops@example.com');
  const web = WebClient.for(g);
  await web.signIn('ops@example.com');
  const appPath = `/dashboard/apps/${encodeURIComponent(g.appId)}`;

  const { size } = await disk.fill();
  const before = counts(file);

  // Writes are refused, each surface in its own terms, and nothing of them is stored.
  const submission = await submit(alice, bob, 'full-smtp', size);
  expect(submission).toMatch(/^452 4\.3\.1 /);
  const mx = await arrive(bob, 'full-mx', size);
  expect(mx).toMatch(/^452 4\.3\.1 /);
  const append = await imapAppend(imap, 'INBOX', message({ from: bob.email, to: [bob.email], token: 'full-append', size }));
  expect(append).toMatch(/^A\d+ NO \[UNAVAILABLE\] .*full/);
  const sent = await send(alice, bob, 'full-api', size);
  expect(sent.status).toBe(507);
  expect(sent.body.error).toEqual({ type: 'api.insufficient_storage', message: expect.stringMatching(/full/) });
  expect(counts(file)).toEqual(before);
  figure(`full disk (${disk.label}): SMTP submission reply`, submission.slice(0, 9));
  figure(`full disk (${disk.label}): SMTP MX reply`, mx.slice(0, 9));
  figure(`full disk (${disk.label}): IMAP APPEND reply`, append.replace(/^A\d+ /, '').slice(0, 16));
  figure(`full disk (${disk.label}): API send status`, sent.status);

  // Small writes still fit for a while (pages SQLite can rewrite in place, WAL space it can
  // reuse); keep making them until not even those do — the disk as full as it gets.
  const first = (await api(g, key, 'GET', `/v3/grants/${alice.id}/messages?limit=1`)).body.data[0].id as string;
  let small = 0;
  for (; small < 20_000; small++) {
    const put = await api(g, key, 'PUT', `/v3/grants/${alice.id}/messages/${first}`, { starred: small % 2 === 0 });
    if (put.status === 507) break;
    expect(put.status).toBe(200);
  }
  expect(small).toBeLessThan(20_000);
  figure(`full disk (${disk.label}): small writes that still fitted`, small);
  // The dashboard says so too, and makes nothing.
  const dash = await web.post(`${appPath}/accounts`, { domain: 'agents.example.com', alias: 'carol', name: 'Carol', app_password: 'Carol-P4ssw0rd-2024x' });
  expect(dash.status).toBe(507);
  expect(dash.text).toMatch(/The disk is full/);
  expect(g.gateway.services.store.directory.findAccountByEmail('carol@agents.example.com')).toBeUndefined();
  figure(`full disk (${disk.label}): dashboard change status`, dash.status);

  // Reads go on: SELECT, FETCH (bodies too, and a FETCH that sets \Seen), the API's GETs.
  let reads = 0;
  const select = await imap.transact('SELECT INBOX');
  expect(select.tagged).toMatch(/OK \[READ-WRITE\]/);
  expect(select.untagged).toContain(`* ${stored} EXISTS`);
  reads++;
  const fetch = await imap.transact('FETCH 1:* (FLAGS BODY.PEEK[])');
  expect(fetch.tagged).toMatch(/OK/);
  for (const token of ['before-1', 'before-2', 'before-3', 'before-4']) expect(fetch.untagged.join('\n')).toContain(`Subject: ${token}`);
  reads++;
  const seen = await imap.transact('FETCH 1 (BODY[])');
  expect(seen.tagged).toMatch(/OK/);
  expect(seen.untagged.join('\n')).toMatch(/Subject: before-/);
  reads++;
  const list = await api(g, key, 'GET', `/v3/grants/${bob.id}/messages?limit=10`);
  expect(list.status).toBe(200);
  expect(list.body.data.map((m: { subject: string }) => m.subject).sort()).toEqual(['before-1', 'before-2', 'before-3', 'before-4']);
  reads++;
  const one = await api(g, key, 'GET', `/v3/grants/${bob.id}/messages/${list.body.data[0].id}`);
  expect(one.status).toBe(200);
  reads++;
  expect((await api(g, key, 'GET', `/v3/grants/${alice.id}/messages?limit=10`)).status).toBe(200);
  reads++;
  const page = await web.get(`${appPath}/accounts`);
  expect(page.status).toBe(200);
  expect(page.text).toContain(bob.email);
  reads++;
  figure(`full disk (${disk.label}): reads served while full`, reads);

  // Nothing is corrupt, full or not.
  expect(integrity(file)).toBe('ok');

  // Space returns: the same requests succeed, with no restart.
  await disk.free();
  expect(await submit(alice, bob, 'after-smtp', size)).toMatch(/^250 /);
  expect(await arrive(bob, 'after-mx', size)).toMatch(/^250 /);
  const appended = await imapAppend(imap, 'INBOX', message({ from: bob.email, to: [bob.email], token: 'after-append', size }));
  expect(appendUid(appended)).not.toBeNull();
  const after = await send(alice, bob, 'after-api', size);
  expect(after.status).toBe(200);
  const subjects = (await api(g, key, 'GET', `/v3/grants/${bob.id}/messages?limit=20`)).body.data.map((m: { subject: string }) => m.subject);
  expect(subjects).toEqual(expect.arrayContaining(['after-smtp', 'after-mx', 'after-append', 'after-api']));
  expect(subjects.filter((s: string) => s.startsWith('full-'))).toEqual([]);
  figure(`full disk (${disk.label}): writes accepted once space returned`, 4);
  expect(integrity(file)).toBe('ok');
}

/** Whether this machine lets us mount a tmpfs (root with CAP_SYS_ADMIN; not in every container). */
function canMountTmpfs(): boolean {
  const probe = tempDir('wicket-mount-probe-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('full disk', () => {
  it('injected: SQLite refuses to grow the database (SQLITE_FULL) — precise refusals, reads go on, nothing corrupt, resumes', async () => {
    const g = await startTestGateway();
    const store = g.gateway.services.store as SqliteStore;
    await scenario(g, {
      label: 'injected SQLITE_FULL',
      async fill() {
        store.simulateDiskFull(0);
        const db = new Database(join(g.gateway.config.dataDir, 'wicket.db'), { readonly: true });
        try {
          // A message bigger than the free pages the database could still reuse.
          const free = (db.pragma('freelist_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
          return { size: free + 2 * MB };
        } finally {
          db.close();
        }
      },
      async free() {
        store.simulateDiskFull(null);
      },
    });
  });

  it('real: the data directory on a small tmpfs filled to ENOSPC — precise refusals, reads go on, nothing corrupt, resumes', async (ctx) => {
    if (!canMountTmpfs()) {
      figure('full disk (tmpfs ENOSPC): run', 'skipped: mount -t tmpfs is not permitted here');
      ctx.skip();
    }
    const mountPoint = tempDir('wicket-full-disk-');
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m,mode=0700', 'tmpfs', mountPoint]);
    let g: TestGateway | undefined;
    onTestFinished(async () => {
      await g?.gateway.close(0);
      try {
        execFileSync('umount', [mountPoint]);
      } catch {
        execFileSync('umount', ['-l', mountPoint]);
      }
    });
    const dataDir = join(mountPoint, 'data');
    g = await startTestGateway({ WICKET_DATA_DIR: dataDir });
    const filler = join(mountPoint, 'filler');
    const gw = g;
    await scenario(gw, {
      label: 'tmpfs ENOSPC',
      async fill() {
        // A message must need more than the WAL file already holds (SQLite reuses it from the
        // start after a checkpoint) and more than the database's free pages.
        const wal = join(dataDir, 'wicket.db-wal');
        const walSize = existsSync(wal) ? statSync(wal).size : 0;
        const db = new Database(join(dataDir, 'wicket.db'), { readonly: true });
        const free = (db.pragma('freelist_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
        db.close();
        // Fill with ever smaller writes until not even 4 KiB more fits.
        const fd = openSync(filler, 'w');
        try {
          for (let chunk = MB; chunk >= 4096; chunk /= 4) {
            const block = Buffer.alloc(chunk, 0x61);
            for (;;) {
              try {
                writeSync(fd, block);
              } catch (err) {
                if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
                break;
              }
            }
          }
        } finally {
          closeSync(fd);
        }
        const df = execFileSync('df', ['-B1', '--output=avail', mountPoint], { encoding: 'utf8' }).split('\n')[1]!.trim();
        figure('full disk (tmpfs ENOSPC): bytes left on the filesystem', Number(df), 'bytes');
        return { size: Math.max(2 * MB, walSize + MB, free + MB) };
      },
      async free() {
        rmSync(filler);
      },
    });
  });
});
