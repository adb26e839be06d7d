// wicket webhook list|test, run as a separate process on the data directory.
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wicket, wicketOk } from '../helpers/cli.js';
import { openWorld } from '../helpers/services.js';
import { tempDir } from '../helpers/tmp.js';
import { startReceiver } from './helpers.js';

describe('wicket webhook', () => {
  it('lists webhooks with their status, and sends a signed test event', async () => {
    const dir = tempDir();
    const receiver = await startReceiver();
    const world = openWorld({ dir: join(dir, 'data') });
    const webhook = await world.services.webhooks.create(world.appId, { url: receiver.url, triggerTypes: ['message.created', 'grant.deleted'], description: 'ci' });
    world.store.close();

    const empty = await wicketOk(dir, ['webhook', 'list', '--application', 'nope'], {}).catch((e: Error) => e);
    expect(String(empty)).toMatch(/exited 1/);

    const list = await wicketOk(dir, ['webhook', 'list', '--json']);
    expect(list.json).toEqual([
      {
        id: webhook.id,
        description: 'ci',
        trigger_types: ['message.created', 'grant.deleted'],
        webhook_url: receiver.url,
        status: 'active',
        notification_email_addresses: [],
        status_updated_at: expect.any(Number),
        created_at: expect.any(Number),
        updated_at: expect.any(Number),
        pending_deliveries: 0,
      },
    ]);
    expect(list.stdout).not.toContain(webhook.secret);
    const human = await wicketOk(dir, ['webhook', 'list']);
    expect(human.stdout).toContain('Webhooks (1) of application');
    expect(human.stdout).toMatch(new RegExp(`${webhook.id}\\s+active\\s+0\\s+`));
    expect(human.stdout).not.toContain(webhook.secret);

    const test = await wicketOk(dir, ['webhook', 'test', webhook.id]);
    expect(test.stdout).toMatch(/^Test event [0-9a-f-]{36} delivered to http:\/\/127\.0\.0\.1:\d+: HTTP 200\n$/);
    const [d] = await receiver.waitFor(1);
    expect(d!.headers['x-nylas-signature']).toBe(createHmac('sha256', webhook.secret).update(d!.raw).digest('hex'));
    expect(d!.body).toMatchObject({ specversion: '1.0', type: 'webhook.test', webhook_delivery_attempt: 1, data: { object: { id: webhook.id } } });

    receiver.statuses = [503];
    const failed = await wicket(dir, ['webhook', 'test', webhook.id, '--json']);
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout)).toMatchObject({ webhook_id: webhook.id, ok: false, http_status: 503, error: 'HTTP 503' });
    expect(failed.stderr).toMatch(/^wicket: test event to http:\/\/127\.0\.0\.1:\d+ failed: HTTP 503\n$/);

    const missing = await wicket(dir, ['webhook', 'test', 'no-such-id']);
    expect(missing).toMatchObject({ code: 1, stdout: '', stderr: 'wicket: webhook no-such-id not found\n' });
    // A test leaves the webhook's status alone.
    expect((await wicketOk(dir, ['webhook', 'list', '--json'])).json[0].status).toBe('active');
  });
});
