// The hosted service's own SDK (the `nylas` package, v8), pointed at Wicket with apiUri: code
// written for the hosted API runs unchanged against a local gateway.
import NylasModule from 'nylas';
import { describe, expect, it } from 'vitest';
import { apiKey } from '../helpers/api.js';
import { PASSWORD, startTestGateway } from '../helpers/gateway.js';
import { imapLogin } from '../helpers/imap-client.js';

// The package has no "type": "module", so TypeScript reads its types as CommonJS and sees the
// class under `.default`; at run time the ESM build's default export is the class itself.
const Nylas = NylasModule as unknown as (typeof NylasModule)['default'];

describe('the nylas Node SDK against Wicket', () => {
  it('creates a grant, lists and updates messages, sends (JSON and multipart), manages folders', async () => {
    const g = await startTestGateway();
    const nylas = new Nylas({ apiKey: apiKey(g), apiUri: `http://127.0.0.1:${g.ports.http}` });

    const created = await nylas.auth.customAuthentication({
      requestBody: { provider: 'nylas' as never, settings: { email: 'sales@agents.example.com', app_password: PASSWORD } },
    });
    const grantId = created.data.id;
    expect(created.data).toMatchObject({ email: 'sales@agents.example.com', grantStatus: 'valid' });
    expect(created.requestId).toEqual(expect.any(String));
    expect((await nylas.grants.find({ grantId })).data.email).toBe('sales@agents.example.com');
    expect((await nylas.grants.list()).data.map((grant: { id: string }) => grant.id)).toEqual([grantId]);

    const bob = await g.account('bob');
    const sent = await nylas.messages.send({
      identifier: grantId,
      requestBody: {
        to: [{ email: bob.email, name: 'Bob' }],
        subject: 'From the SDK',
        body: '<p>Hello <b>Bob</b></p>',
        attachments: [{ filename: 'note.txt', contentType: 'text/plain', content: Buffer.from('a small note').toString('base64'), size: 12 }],
      },
    });
    expect(sent.data).toMatchObject({ subject: 'From the SDK', folders: [expect.any(String)], threadId: expect.any(String) });
    expect(sent.data.attachments).toEqual([expect.objectContaining({ filename: 'note.txt', contentType: 'text/plain', size: 12 })]);

    // Over 3 MB the SDK switches to multipart/form-data.
    const big = Buffer.alloc(3_500_000, 'x');
    const large = await nylas.messages.send({
      identifier: grantId,
      requestBody: { to: [{ email: bob.email }], subject: 'Large', body: 'see attached', attachments: [{ filename: 'big.bin', contentType: 'application/octet-stream', content: big, size: big.length }] },
    });
    expect(large.data.attachments).toEqual([expect.objectContaining({ filename: 'big.bin', size: big.length })]);

    const inSent = await nylas.messages.list({ identifier: grantId, queryParams: { in: ['Sent'], limit: 10 } });
    expect(inSent.data.map((m: { subject?: string }) => m.subject)).toEqual(['Large', 'From the SDK']);
    const message = await nylas.messages.find({ identifier: grantId, messageId: sent.data.id });
    expect(message.data.body).toContain('<b>Bob</b>');

    const updated = await nylas.messages.update({ identifier: grantId, messageId: sent.data.id, requestBody: { starred: true, unread: true } });
    expect(updated.data).toMatchObject({ starred: true, unread: true });
    const imap = await imapLogin(g.ports.imap, 'sales@agents.example.com', PASSWORD);
    await imap.transact('SELECT Sent');
    const flags = await imap.transact('UID FETCH 1 (FLAGS)');
    expect(flags.untagged[0]).toContain('\\Flagged');
    expect(flags.untagged[0]).not.toContain('\\Seen');

    const folder = await nylas.folders.create({ identifier: grantId, requestBody: { name: 'Projects' } });
    expect(folder.data).toMatchObject({ name: 'Projects', grantId });
    const renamed = await nylas.folders.update({ identifier: grantId, folderId: folder.data.id, requestBody: { name: 'Clients' } });
    expect(renamed.data).toMatchObject({ id: folder.data.id, name: 'Clients' });
    const moved = await nylas.messages.update({ identifier: grantId, messageId: sent.data.id, requestBody: { folders: [folder.data.id] } });
    expect(moved.data).toMatchObject({ id: sent.data.id, folders: [folder.data.id] });
    const folders = await nylas.folders.list({ identifier: grantId });
    expect(folders.data.map((f: { name: string }) => f.name)).toEqual(expect.arrayContaining(['INBOX', 'Sent', 'Drafts', 'Trash', 'Junk', 'Archive', 'Clients']));

    await nylas.messages.destroy({ identifier: grantId, messageId: sent.data.id });
    const trash = await nylas.messages.list({ identifier: grantId, queryParams: { in: ['Trash'] } });
    expect(trash.data.map((m: { id: string }) => m.id)).toEqual([sent.data.id]);

    // Errors arrive as the SDK's NylasApiError with the status and the message.
    await expect(nylas.grants.find({ grantId: 'no-such-grant' })).rejects.toMatchObject({ statusCode: 404, type: 'api.not_found_error' });
    await nylas.grants.destroy({ grantId });
    await expect(nylas.grants.find({ grantId })).rejects.toMatchObject({ statusCode: 404 });
  });
});
