// Reading with clients nobody here wrote: Python's imaplib and curl, over IMAPS, as a legacy
// script would (LOGIN, LIST, EXAMINE/SELECT, FETCH, STORE, SEARCH).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { PASSWORD, type TestGateway, startTestGateway } from '../helpers/gateway.js';

const run = promisify(execFile);

async function sendOverSmtp(g: TestGateway, to: string, subject: string, text: string) {
  const sales = g.gateway.services.store.directory.findAccountByEmail('sales@agents.example.com')!;
  await nodemailer
    .createTransport({ host: '127.0.0.1', port: g.ports.submission, auth: { user: sales.email, pass: PASSWORD }, tls: { rejectUnauthorized: false } })
    .sendMail({ from: sales.email, to, subject, text });
}

describe('IMAP clients nobody here wrote', () => {
  it("Python's imaplib over IMAPS: list, select, fetch byte-exact, store, and a second session sees the flag", async () => {
    const g = await startTestGateway();
    await g.account('sales', { name: 'Sales Agent' });
    const bob = await g.account('bob');
    await sendOverSmtp(g, bob.email, 'hello imaplib', 'Hi Bob, from Python');
    const script = `
import imaplib, ssl, sys, json
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
port = int(sys.argv[1]); user = sys.argv[2]; password = sys.argv[3]
out = {}
m = imaplib.IMAP4_SSL('127.0.0.1', port, ssl_context=ctx)
out['login'] = m.login(user, password)[0]
out['list'] = [l.decode() for l in m.list()[1]]
typ, data = m.select('INBOX')
out['exists'] = data[0].decode()
typ, data = m.search(None, 'SUBJECT', '"hello imaplib"')
out['search'] = data[0].decode()
typ, data = m.fetch('1', '(BODY.PEEK[])')
out['body'] = data[0][1].decode('utf-8')
typ, data = m.fetch('1', '(FLAGS)')
out['flags_before'] = data[0].decode()
m.store('1', '+FLAGS', '\\\\Flagged')
n = imaplib.IMAP4_SSL('127.0.0.1', port, ssl_context=ctx)
n.login(user, password)
n.select('INBOX', readonly=True)
typ, data = n.fetch('1', '(FLAGS)')
out['flags_other_session'] = data[0].decode()
n.logout()
m.logout()
print(json.dumps(out))
`;
    const { stdout } = await run('python3', ['-c', script, String(g.ports.imaps), bob.email, PASSWORD]);
    const out = JSON.parse(stdout) as Record<string, unknown>;
    expect(out.login).toBe('OK');
    expect(out.list).toEqual(
      expect.arrayContaining(['(\\HasNoChildren) "/" "INBOX"', '(\\HasNoChildren \\Sent) "/" "Sent"', '(\\HasNoChildren \\Trash) "/" "Trash"']),
    );
    expect(out.exists).toBe('1');
    expect(out.search).toBe('1');
    const store = g.gateway.services.store;
    const inbox = store.mail.getMailbox(bob.id, 'INBOX')!;
    const [record] = store.mail.listMessages(inbox.id);
    expect(out.body).toBe(store.mail.readMessage(record!.id)!.toString('utf8'));
    expect(out.flags_before).toBe('1 (FLAGS (\\Recent))');
    expect(out.flags_other_session).toBe('1 (FLAGS (\\Flagged))');
  });

  it('curl imaps:// lists folders and fetches a message by UID', async () => {
    const g = await startTestGateway();
    await g.account('sales');
    const bob = await g.account('bob');
    await sendOverSmtp(g, bob.email, 'hello curl', 'Hi Bob, from curl');
    const base = `imaps://127.0.0.1:${g.ports.imaps}`;
    const auth = ['--insecure', '--silent', '--show-error', '--user', `${bob.email}:${PASSWORD}`];
    const listing = await run('curl', [...auth, `${base}/`]);
    expect(listing.stdout).toContain('* LIST (\\HasNoChildren \\Sent) "/" "Sent"');
    const message = await run('curl', [...auth, `${base}/INBOX;UID=1`]);
    expect(message.stdout).toContain('Subject: hello curl');
    expect(message.stdout).toContain('Hi Bob, from curl');
  });
});
