// A full disk, as every surface reports it (the injected SQLITE_FULL of SqliteStore's test
// seam; test/reliability/full-disk.test.ts also fills a real tmpfs): SMTP 452 4.3.1, IMAP
// APPEND NO [UNAVAILABLE], the API 507 — nothing stored — while SELECT and FETCH (even one
// that would set \Seen) still answer; all of it works again once space returns.
import { describe, expect, it } from 'vitest';
import type { SqliteStore } from '../../src/store/sqlite/index.js';
import { api, apiKey } from '../helpers/api.js';
import { PASSWORD, startTestGateway } from '../helpers/gateway.js';
import { imapLogin } from '../helpers/imap-client.js';
import { appendUid, imapAppend, message, smtpSend } from '../reliability/wire.js';

const BIG = 2 * 1024 * 1024;

describe('a full disk', () => {
  it('is refused precisely on every surface, reads go on, and writes resume when space returns', async () => {
    const g = await startTestGateway();
    const sales = await g.account('sales');
    const key = apiKey(g);
    const submit = (token: string) =>
      smtpSend({
        port: g.ports.submission,
        auth: { user: sales.email, pass: PASSWORD },
        mailFrom: sales.email,
        rcptTo: [sales.email],
        raw: message({ from: sales.email, to: [sales.email], token, size: BIG }),
      });
    const send = (token: string) =>
      api(g, key, 'POST', `/v3/grants/${sales.id}/messages/send`, { to: [{ email: sales.email }], subject: token, body: 'x'.repeat(BIG), is_plaintext: true });
    expect(await submit('stored-first')).toMatch(/^250 /);
    const imap = await imapLogin(g.ports.imap, sales.email, PASSWORD);
    const store = g.gateway.services.store as SqliteStore;

    store.simulateDiskFull(0);
    expect(await submit('refused')).toMatch(/^452 4\.3\.1 mail system full/);
    expect(await smtpSend({ port: g.ports.mx, mailFrom: 'a@remote.example', rcptTo: [sales.email], raw: message({ from: 'a@remote.example', to: [sales.email], token: 'refused', size: BIG }) })).toMatch(
      /^452 4\.3\.1 /,
    );
    expect(await imapAppend(imap, 'INBOX', message({ from: sales.email, to: [sales.email], token: 'refused', size: BIG }))).toMatch(/^A\d+ NO \[UNAVAILABLE\] .*disk .* full/);
    const refused = await send('refused');
    expect(refused.status).toBe(507);
    expect(refused.body.error.type).toBe('api.insufficient_storage');
    // Reads: the \Recent claim and the implicit \Seen are bookkeeping, not a reason to refuse.
    const select = await imap.transact('SELECT INBOX');
    expect(select.tagged).toMatch(/OK \[READ-WRITE\]/);
    expect(select.untagged).toContain('* 1 EXISTS');
    const fetched = await imap.transact('FETCH 1 (BODY[HEADER.FIELDS (SUBJECT)])');
    expect(fetched.tagged).toMatch(/OK/);
    expect(fetched.untagged.join('\n')).toContain('Subject: stored-first');
    expect((await api(g, key, 'GET', `/v3/grants/${sales.id}/messages`)).body.data.map((m: { subject: string }) => m.subject)).toEqual(['stored-first', 'stored-first']);

    store.simulateDiskFull(null);
    expect(await submit('after')).toMatch(/^250 /);
    expect(appendUid(await imapAppend(imap, 'INBOX', message({ from: sales.email, to: [sales.email], token: 'after', size: BIG })))).not.toBeNull();
    expect((await send('after')).status).toBe(200);
  });
});
