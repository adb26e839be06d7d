// mbsync (isync), a two-way IMAP ↔ Maildir synchroniser nobody here wrote: 200+ messages in
// several folders down to a Maildir, flags changed on either side going across, and a further
// sync that finds nothing to do. .ci/run installs isync.
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PASSWORD, type TestGateway, startTestGateway } from '../helpers/gateway.js';
import { mbsyncConfig } from '../helpers/mbsync.js';

const run = promisify(execFile);

const FOLDERS = { INBOX: 120, Archive: 50, 'Work/Projects': 40 } as const;

function config(g: TestGateway, maildir: string, email: string): string {
  return mbsyncConfig({ port: g.ports.imaps, user: email, password: PASSWORD, maildir, tls: { certFile: g.gateway.tls.certFile } });
}

/** Files in a Maildir folder's cur/ and new/. */
function files(maildir: string, folder: string): string[] {
  const dir = join(maildir, folder);
  return ['cur', 'new'].flatMap((sub) => readdirSync(join(dir, sub)).map((f) => join(dir, sub, f)));
}

async function mbsync(conf: string): Promise<string> {
  try {
    const { stdout, stderr } = await run('mbsync', ['-c', conf, '-a', '-V']);
    return `${stdout}${stderr}`;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`mbsync failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

describe('mbsync', () => {
  it('syncs 210 messages in three folders both ways, then has nothing to do', async () => {
    await run('sh', ['-c', 'command -v mbsync']).catch(() => {
      throw new Error('mbsync is not installed; .ci/run installs it (apt-get install isync)');
    });
    const g = await startTestGateway();
    const account = await g.account('sync');
    const { mailboxes, store } = g.gateway.services;
    mailboxes.create(account.id, 'Work/Projects');
    for (const [name, count] of Object.entries(FOLDERS)) {
      const folder = mailboxes.find(account.id, name)!;
      for (let i = 0; i < count; i++) {
        const raw = Buffer.from(`From: s${i}@remote.example\r\nSubject: ${name} ${i}\r\nMessage-ID: <${name}-${i}@remote.example>\r\n\r\nbody ${i}\r\n`);
        g.gateway.pipeline.append(account, folder, raw, { flags: i % 4 === 0 ? ['\\Seen'] : [] });
      }
    }
    const maildir = join(g.dir, 'Maildir');
    mkdirSync(maildir);
    const conf = join(g.dir, 'mbsyncrc');
    writeFileSync(conf, config(g, maildir, account.email), { mode: 0o600 });

    // 1. Everything comes down, with flags (Maildir "S" = \Seen).
    await mbsync(conf);
    for (const [name, count] of Object.entries(FOLDERS)) {
      const local = files(maildir, name);
      expect(local, name).toHaveLength(count);
      expect(local.filter((f) => /:2,[A-Z]*S/.test(f)), name).toHaveLength(Math.ceil(count / 4));
    }

    // 2. Flags changed on both sides cross over.
    const inbox = mailboxes.find(account.id, 'INBOX')!;
    const [first] = store.mail.listMessages(inbox.id);
    store.mail.setFlags(account.id, inbox.id, [first!.uid], 'add', ['\\Flagged']);
    const unseenLocal = files(maildir, 'INBOX').find((f) => !/:2,[A-Z]*S/.test(f))!;
    renameSync(unseenLocal, unseenLocal.replace(/:2,([A-Z]*)$/, (_, flags: string) => `:2,${[...flags, 'S'].sort().join('')}`));
    await mbsync(conf);
    expect(files(maildir, 'INBOX').filter((f) => /:2,[A-Z]*F/.test(f))).toHaveLength(1);
    const seenOnServer = store.mail.listMessages(inbox.id).filter((m) => m.flags.includes('\\Seen')).length;
    expect(seenOnServer).toBe(Math.ceil(FOLDERS.INBOX / 4) + 1);

    // 3. A message written into the local Maildir goes up.
    const localNew = join(maildir, 'Archive', 'new', `${Date.now()}.local.mbsync-test`);
    writeFileSync(localNew, 'From: me@agents.example.com\r\nSubject: written locally\r\n\r\nhello\r\n');
    await mbsync(conf);
    const archive = mailboxes.find(account.id, 'Archive')!;
    expect(store.mail.listMessages(archive.id)).toHaveLength(FOLDERS.Archive + 1);

    // 4. Nothing left to do: no message moves either way.
    const before = { server: store.stats().messages, local: Object.keys(FOLDERS).map((f) => files(maildir, f).length) };
    const output = await mbsync(conf);
    expect({ server: store.stats().messages, local: Object.keys(FOLDERS).map((f) => files(maildir, f).length) }).toEqual(before);
    expect(output).not.toMatch(/error/i);
  });
});
