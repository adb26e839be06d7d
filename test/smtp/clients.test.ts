// Sending with clients nobody here wrote: swaks, curl and Python's smtplib, as a new user
// would configure them (full address, app password, STARTTLS on submission or TLS on
// submissions). .ci/run installs swaks.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PASSWORD, folderMessages, startTestGateway } from '../helpers/gateway.js';

const run = promisify(execFile);

async function tool(name: string): Promise<void> {
  try {
    await run('sh', ['-c', `command -v ${name}`]);
  } catch {
    throw new Error(`${name} is not installed; .ci/run installs it (apt-get install ${name})`);
  }
}

describe('clients nobody here wrote', () => {
  it('swaks over STARTTLS with AUTH LOGIN', async () => {
    await tool('swaks');
    const g = await startTestGateway();
    const sales = await g.account('sales', { name: 'Sales Agent' });
    const bob = await g.account('bob');
    const { stdout } = await run('swaks', [
      '--server', `127.0.0.1:${g.ports.submission}`,
      '--tls',
      '--auth', 'LOGIN',
      '--auth-user', sales.email,
      '--auth-password', PASSWORD,
      '--from', sales.email,
      '--to', bob.email,
      '--header', 'Subject: hello from swaks',
      '--body', 'sent by swaks',
    ]);
    expect(stdout).toMatch(/<~ {2}250 2\.0\.0 OK: queued as [0-9A-F]{16}/);
    const [message] = folderMessages(g, bob, 'INBOX');
    expect(message!.raw).toContain('Subject: hello from swaks');
    expect(message!.raw).toContain('From: "Sales Agent" <sales@agents.example.com>');
    expect(folderMessages(g, sales, 'Sent')).toHaveLength(1);
  });

  it('swaks is refused with the wrong password', async () => {
    await tool('swaks');
    const g = await startTestGateway();
    const sales = await g.account('sales');
    const result = await run('swaks', [
      '--server', `127.0.0.1:${g.ports.submission}`,
      '--tls',
      '--auth', 'PLAIN',
      '--auth-user', sales.email,
      '--auth-password', 'NotThePassword12345',
      '--from', sales.email,
      '--to', sales.email,
    ]).catch((err: { stdout: string; code: number }) => err);
    expect('code' in result && result.code).toBeTruthy();
    expect(result.stdout).toContain('535 5.7.8 authentication credentials invalid');
  });

  it('curl smtps:// (implicit TLS) uploads a message', async () => {
    await tool('curl');
    const g = await startTestGateway();
    const sales = await g.account('sales');
    const bob = await g.account('bob');
    const file = join(g.dir, 'mail.eml');
    writeFileSync(file, 'From: sales@agents.example.com\r\nTo: bob@agents.example.com\r\nSubject: hello from curl\r\n\r\nsent by curl\r\n');
    await run('curl', [
      '--silent', '--show-error', '--insecure',
      `smtps://127.0.0.1:${g.ports.submissions}`,
      '--user', `${sales.email}:${PASSWORD}`,
      '--mail-from', sales.email,
      '--mail-rcpt', bob.email,
      '--upload-file', file,
    ]);
    const [message] = folderMessages(g, bob, 'INBOX');
    expect(message!.raw).toContain('Subject: hello from curl');
    expect(message!.raw).toMatch(/(^|\r\n)Message-ID: </);
  });

  it("Python's smtplib: STARTTLS, login, send_message", async () => {
    const g = await startTestGateway();
    const sales = await g.account('sales', { name: 'Python Agent' });
    const bob = await g.account('bob');
    const script = `
import smtplib, ssl, sys
from email.message import EmailMessage
msg = EmailMessage()
msg['From'] = '${sales.email}'
msg['To'] = '${bob.email}'
msg['Subject'] = 'hello from smtplib'
msg.set_content('sent by python')
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
with smtplib.SMTP('127.0.0.1', ${g.ports.submission}) as s:
    s.starttls(context=ctx)
    s.login('${sales.email}', sys.argv[1])
    s.send_message(msg)
`;
    await run('python3', ['-c', script, PASSWORD]);
    const [message] = folderMessages(g, bob, 'INBOX');
    expect(message!.raw).toContain('Subject: hello from smtplib');
    expect(message!.raw).toContain('From: "Python Agent" <sales@agents.example.com>');
  });
});
