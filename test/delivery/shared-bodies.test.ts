// A submission's Sent copy, its copy for a local recipient and the one queued for a remote one
// are the same bytes under different trace fields: stored once, with the fields apart, and read
// back whole. Bodies go away when the last copy referring to them does.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeliveryPipeline } from '../../src/delivery/pipeline.js';
import { createLogger } from '../../src/log.js';
import { GOOD_PASSWORD, openWorld } from '../helpers/services.js';

async function world() {
  const w = openWorld();
  await w.services.domains.add('agents.example.com');
  const sales = await w.services.accounts.create(w.appId, { email: 'sales@agents.example.com', name: 'Sales', appPassword: GOOD_PASSWORD });
  const bob = await w.services.accounts.create(w.appId, { email: 'bob@agents.example.com', appPassword: GOOD_PASSWORD });
  const pipeline = new DeliveryPipeline(w.store, w.config, createLogger('silent'));
  const submit = (raw: string, to: string[]) =>
    pipeline.deliver(
      { kind: 'submission', account: sales, peer: { address: '127.0.0.1', hostname: 'client', helo: 'client', secure: true } } as never,
      { mailFrom: sales.email, recipients: to.map((address) => ({ address, dsn: null })) },
      Buffer.from(raw),
    );
  const bodies = () => {
    const db = new Database(join(w.dir, 'wicket.db'), { readonly: true });
    try {
      return db.prepare('SELECT id, size, length(content) AS stored, base_id FROM bodies ORDER BY id').all() as { id: number; size: number; stored: number; base_id: number | null }[];
    } finally {
      db.close();
    }
  };
  const message = (accountId: string, folder: string) => {
    const f = w.store.mail.getMailbox(accountId, folder)!;
    const [record] = w.store.mail.listMessages(f.id);
    return { folder: f, record: record!, raw: w.store.mail.readMessage(record!.id)!.toString() };
  };
  return { ...w, sales, bob, submit, bodies, message };
}

const RAW = 'From: sales@agents.example.com\r\nTo: bob@agents.example.com, far@remote.example\r\nSubject: Quote\r\n\r\n' + 'body line\r\n'.repeat(500);

describe('bodies shared by the copies of a submission', () => {
  it('stores the message once and the trace fields of each other copy apart; each copy reads back whole', async () => {
    const w = await world();
    await w.submit(RAW, ['bob@agents.example.com', 'far@remote.example']);
    const sent = w.message(w.sales.id, 'Sent');
    const inbox = w.message(w.bob.id, 'INBOX');
    expect(inbox.raw).toMatch(/^Return-Path: <sales@agents\.example\.com>\r\nReceived: from client .*\r\n/s);
    expect(inbox.raw.endsWith(sent.raw)).toBe(true);
    expect(inbox.record.size).toBe(Buffer.byteLength(inbox.raw));
    const [queued] = w.store.queue.list();
    const stored = w.bodies();
    // The Sent copy whole; the local and the relayed copy as their trace fields over it.
    expect(stored).toHaveLength(3);
    expect(stored[0]).toMatchObject({ base_id: null, size: sent.record.size, stored: sent.record.size });
    expect(stored.slice(1).map((b) => b.base_id)).toEqual([stored[0]!.id, stored[0]!.id]);
    expect(stored.slice(1).every((b) => b.stored < 300)).toBe(true);
    expect(queued!.size).toBe(Buffer.byteLength(inbox.raw) - 'Return-Path: <sales@agents.example.com>\r\n'.length);
  });

  it('with a Bcc the outbound bytes differ from the Sent copy: they are stored once beside it', async () => {
    const w = await world();
    await w.submit(RAW.replace('Subject:', 'Bcc: hidden@remote.example\r\nSubject:'), ['bob@agents.example.com']);
    const sent = w.message(w.sales.id, 'Sent');
    const inbox = w.message(w.bob.id, 'INBOX');
    expect(sent.raw).toContain('Bcc: hidden@remote.example');
    expect(inbox.raw).not.toContain('Bcc:');
    expect(inbox.raw).toContain('Subject: Quote');
    const stored = w.bodies();
    // Sent, the outbound bytes (without Bcc), and the local copy's trace fields over those.
    expect(stored.map((b) => b.base_id === null)).toEqual([true, true, false]);
  });

  it('a base stays while a copy still refers to it, and goes with the last one', async () => {
    const w = await world();
    await w.submit(RAW, ['bob@agents.example.com']);
    const sent = w.message(w.sales.id, 'Sent');
    const inbox = w.message(w.bob.id, 'INBOX');
    // The Sent copy goes first: its bytes stay, the INBOX copy is read through them.
    w.store.mail.removeMessages(w.sales.id, sent.folder.id, [sent.record.uid]);
    expect(w.bodies()).toHaveLength(2);
    expect(w.store.mail.readMessage(inbox.record.id)!.toString()).toBe(inbox.raw);
    w.store.mail.removeMessages(w.bob.id, inbox.folder.id, [inbox.record.uid]);
    expect(w.bodies()).toEqual([]);
  });
});
