// Nothing acknowledged is lost: kill -9 the gateway in the middle of a burst of submissions,
// start it again, and find every message that got a 250 — whole — and nothing half-written.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { PASSWORD, wicketOk } from '../helpers/cli.js';
import { startServe } from '../helpers/serve.js';
import { tempDir } from '../helpers/tmp.js';

const SENDERS = 6;
const PER_SENDER = 15;
const body = (subject: string) => `${subject}\r\n${'The quick brown fox jumps over the lazy dog. '.repeat(400)}\r\nend of ${subject}\r\n`;

describe('durability', () => {
  it('every message acknowledged with 250 survives SIGKILL, complete, in INBOX and Sent', async () => {
    const dir = tempDir();
    await wicketOk(dir, ['domain', 'add', 'agents.example.com']);
    await wicketOk(dir, ['account', 'create', 'sales@agents.example.com', '--app-password', PASSWORD]);
    await wicketOk(dir, ['account', 'create', 'bob@agents.example.com']);
    const env = { WICKET_SUBMISSION_PORT: 'auto' };
    const server = await startServe(dir, env, ['submission']);
    const port = server.ports.submission!;

    const acknowledged: string[] = [];
    let killed = false;
    const sender = async (s: number) => {
      const transport = nodemailer.createTransport({
        host: '127.0.0.1',
        port,
        secure: false,
        auth: { user: 'sales@agents.example.com', pass: PASSWORD },
        tls: { rejectUnauthorized: false },
      });
      for (let i = 0; i < PER_SENDER && !killed; i++) {
        const subject = `burst ${s}-${i}`;
        try {
          await transport.sendMail({ from: 'sales@agents.example.com', to: 'bob@agents.example.com', subject, text: body(subject) });
          acknowledged.push(subject);
        } catch {
          return; // the server died under this connection
        }
      }
    };
    const senders = Array.from({ length: SENDERS }, (_, s) => sender(s));
    // Kill once part of the burst is acknowledged, while the rest is in flight.
    while (acknowledged.length < (SENDERS * PER_SENDER) / 3) await new Promise((r) => setTimeout(r, 5));
    server.child.kill('SIGKILL');
    killed = true;
    await Promise.all(senders);
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(acknowledged.length).toBeLessThan(SENDERS * PER_SENDER);

    // Start again on the same data: the database opens, and holds what was acknowledged.
    const again = await startServe(dir, env, ['submission']);
    expect(await again.stop()).toBe(0);
    const db = new Database(join(dir, 'data', 'wicket.db'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const stored = (folder: string, email: string) =>
        db
          .prepare(
            // A body may be trace fields over another (its base): the message is both.
            `SELECT m.subject, b.content || coalesce(base.content, '') AS content FROM messages m JOIN folders f ON f.id = m.folder_id
             JOIN accounts a ON a.id = m.account_id JOIN bodies b ON b.id = m.body_id LEFT JOIN bodies base ON base.id = b.base_id
             WHERE f.name = ? AND a.email = ?`,
          )
          .all(folder, email) as { subject: string; content: string }[];
      const inbox = stored('INBOX', 'bob@agents.example.com');
      const sent = stored('Sent', 'sales@agents.example.com');
      const inboxSubjects = new Set(inbox.map((m) => m.subject));
      for (const subject of acknowledged) expect(inboxSubjects.has(subject), `${subject} lost`).toBe(true);
      // Every copy is whole, and the two copies of a message were committed together.
      for (const m of [...inbox, ...sent]) expect(m.content.toString().endsWith(`end of ${m.subject}\r\n`)).toBe(true);
      expect(sent.map((m) => m.subject).sort()).toEqual(inbox.map((m) => m.subject).sort());
      expect(new Set(inbox.map((m) => m.subject)).size).toBe(inbox.length);
    } finally {
      db.close();
    }
  });
});
