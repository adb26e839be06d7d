// The small pieces: the deny-list and its configuration, the payload (truncation, snapshots),
// signatures.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import type { OutboxEvent } from '../../src/store/types.js';
import { DenyList, parseCidrList } from '../../src/webhooks/deny-list.js';
import { MAX_OBJECT_BYTES, type ObjectViews, buildPayload } from '../../src/webhooks/payload.js';
import { envelope } from '../../src/webhooks/sender.js';
import { sign, verify } from '../../src/webhooks/signature.js';
import { openWorld } from '../helpers/services.js';

describe('WICKET_WEBHOOK_DENY', () => {
  it('parses CIDR ranges and bare addresses; matches IPv4, IPv6 and IPv4-mapped IPv6', () => {
    const list = new DenyList(parseCidrList(' 10.0.0.0/8, 192.168.1.7 ,fd00::/8,, 169.254.0.0/16'));
    expect(list.ranges.map((r) => r.text)).toEqual(['10.0.0.0/8', '192.168.1.7/32', 'fd00::/8', '169.254.0.0/16']);
    expect(list.match('10.1.2.3')?.text).toBe('10.0.0.0/8');
    expect(list.match('192.168.1.7')?.text).toBe('192.168.1.7/32');
    expect(list.match('192.168.1.8')).toBeNull();
    expect(list.match('fd12::1')?.text).toBe('fd00::/8');
    expect(list.match('::ffff:10.0.0.1')?.text).toBe('10.0.0.0/8');
    expect(list.match('::ffff:a00:1')?.text).toBe('10.0.0.0/8');
    expect(list.match('8.8.8.8')).toBeNull();
    expect(new DenyList(parseCidrList('')).empty).toBe(true);
  });

  it('stops start-up with one line naming the variable when a range is wrong', () => {
    const load = (value: string) => () => loadConfig({ WICKET_WEBHOOK_DENY: value }, '/tmp');
    expect(load('10.0.0.0/8')).not.toThrow();
    expect(loadConfig({}, '/tmp').webhooks).toEqual({ deny: [], timeoutMs: 10_000 });
    for (const [value, message] of [
      ['10.0.0.0/33', 'WICKET_WEBHOOK_DENY: "10.0.0.0/33": the prefix length must be a number from 0 to 32'],
      ['10.0.0/8', 'WICKET_WEBHOOK_DENY: "10.0.0/8" is not a CIDR range such as 10.0.0.0/8 or fd00::/8'],
      ['example.com', 'WICKET_WEBHOOK_DENY: "example.com" is not a CIDR range such as 10.0.0.0/8 or fd00::/8'],
      ['fd00::/129', 'WICKET_WEBHOOK_DENY: "fd00::/129": the prefix length must be a number from 0 to 128'],
    ]) {
      expect(load(value!)).toThrow(ConfigError);
      expect(load(value!)).toThrow(message);
    }
    expect(() => loadConfig({ WICKET_WEBHOOK_TIMEOUT_MS: '5' }, '/tmp')).toThrow('WICKET_WEBHOOK_TIMEOUT_MS: must be at least 100');
  });
});

describe('webhook payloads', () => {
  const event = (over: Partial<OutboxEvent>): OutboxEvent => ({
    id: 7,
    origin: 'x',
    type: 'message.created',
    applicationId: 'app-1',
    accountId: 'acct-1',
    object: { id: 'pub42', grant_id: 'acct-1', folder_id: '5', thread_id: 't1', row_id: 42, uid: 3, folder: 'INBOX', size: 10, subject: 'hi' },
    createdAt: 1_700_000_000,
    ...over,
  });

  it('sends a message object over 1 MB as message.created.truncated, without the body', () => {
    const { store } = openWorld();
    const big: ObjectViews = {
      message: (_s, accountId, rowId) => ({ id: `row${rowId}`, grant_id: accountId, object: 'message', subject: 'big', body: 'x'.repeat(MAX_OBJECT_BYTES) }),
      folder: () => null,
    };
    const payload = buildPayload(store, event({}), big);
    expect(payload.type).toBe('message.created.truncated');
    expect(payload.data).toEqual({ application_id: 'app-1', grant_id: 'acct-1', object: { id: 'row42', grant_id: 'acct-1', object: 'message', subject: 'big' } });

    const small: ObjectViews = { ...big, message: (_s, accountId, id) => ({ id: String(id), grant_id: accountId, body: 'short' }) };
    expect(buildPayload(store, event({}), small)).toMatchObject({ type: 'message.created', data: { object: { body: 'short' } } });
  });

  it('falls back to the snapshot when the object is gone', () => {
    const { store } = openWorld();
    const none: ObjectViews = { message: () => null, folder: () => null };
    expect(buildPayload(store, event({}), none).data.object).toEqual({
      id: 'pub42',
      grant_id: 'acct-1',
      object: 'message',
      thread_id: 't1',
      folders: ['5'],
      size: 10,
      subject: 'hi',
    });
    const deleted = buildPayload(
      store,
      event({ type: 'message.deleted', object: { id: 'pub42', grant_id: 'acct-1', folder_id: '5', thread_id: 't1', row_id: 42, uid: 3 } }),
      none,
    );
    expect(deleted).toEqual({
      type: 'message.deleted',
      data: { application_id: 'app-1', grant_id: 'acct-1', object: { id: 'pub42', grant_id: 'acct-1', object: 'message', thread_id: 't1', folders: ['5'] } },
    });
    const updated = buildPayload(store, event({ type: 'message.updated', object: { id: 'pub42', row_id: 42, flags: ['\\Seen'] } }), none);
    expect(updated.data.object).toEqual({ id: 'pub42', grant_id: 'acct-1', object: 'message', unread: false, starred: false });
    const bounced = buildPayload(store, event({ type: 'message.bounced', object: { queue_id: 'q1', recipient: 'x@y.z', message_id: '<m@x>', error: '550' } }), none);
    expect(bounced.data.object).toMatchObject({ queue_id: 'q1', recipient: 'x@y.z', object: 'message' });
    const folder = buildPayload(store, event({ type: 'folder.deleted', object: { id: 9, name: 'Old' } }), none);
    expect(folder.data.object).toEqual({ id: '9', grant_id: 'acct-1', object: 'folder', name: 'Old' });
  });
});

describe('signatures', () => {
  it('are hex HMAC-SHA256 of the exact body bytes', () => {
    const body = envelope({ id: 'n1', type: 'grant.created', time: 1, data: { application_id: 'a', grant_id: 'g', object: {} } }, 2);
    expect(JSON.parse(body.toString()).webhook_delivery_attempt).toBe(2);
    const signature = sign('secret', body);
    expect(signature).toBe(createHmac('sha256', 'secret').update(body).digest('hex'));
    expect(verify('secret', body, signature)).toBe(true);
    expect(verify('other', body, signature)).toBe(false);
    expect(verify('secret', Buffer.concat([body, Buffer.from(' ')]), signature)).toBe(false);
  });
});
