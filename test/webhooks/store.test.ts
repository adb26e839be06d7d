// The SQLite webhook store: the fan-out cursor, who hears of an event, claims, and pruning.
import { describe, expect, it } from 'vitest';
import { openWorld } from '../helpers/services.js';

async function world() {
  const w = openWorld();
  await w.services.domains.add('agents.example.com');
  const hooks = w.store.webhooks;
  const webhook = hooks.create({
    id: 'wh1',
    applicationId: w.appId,
    description: null,
    url: 'http://127.0.0.1:9/x',
    triggerTypes: ['grant.created'],
    secret: 's',
    notificationEmails: [],
  });
  return { ...w, hooks, webhook };
}

const delivery = (id: string, eventId: number) => ({ id, webhookId: 'wh1', eventId, type: 'grant.created', data: { application_id: 'a', grant_id: null, object: {} }, time: 1 });

describe('webhook store', () => {
  it('tells a webhook only of events written after it was created', async () => {
    const { store, hooks, appId } = await world();
    const before = store.events.lastId();
    const listening = hooks.listening();
    expect(listening.map((l) => [l.webhook.id, l.webhook.applicationId, l.sinceEventId])).toEqual([['wh1', appId, before]]);
    hooks.update(appId, 'wh1', { status: 'pause' });
    expect(hooks.listening()).toEqual([]);
  });

  it('moves the cursor only from where it stands (two senders never fan out twice)', async () => {
    const { hooks } = await world();
    const at = hooks.cursor();
    expect(hooks.enqueue(at, at + 5, [delivery('d1', at + 1)], 0)).toBe(true);
    expect(hooks.cursor()).toBe(at + 5);
    expect(hooks.enqueue(at, at + 5, [delivery('d2', at + 1)], 0)).toBe(false);
    expect(hooks.deliveries('wh1', 10).map((d) => d.id)).toEqual(['d1']);
  });

  it('claims the oldest due delivery of each webhook not busy, with a lease', async () => {
    const { hooks } = await world();
    const at = hooks.cursor();
    hooks.enqueue(at, at + 2, [delivery('d1', at + 1), delivery('d2', at + 2)], 1000);
    expect(hooks.claimDue(1000, 10, 5000, ['wh1'])).toEqual([]);
    const [first, ...rest] = hooks.claimDue(1000, 10, 5000);
    expect(rest).toEqual([]);
    expect(first).toMatchObject({ id: 'd1', url: 'http://127.0.0.1:9/x', secret: 's', attempts: 0 });
    // d1 is leased; d2 is next. After the lease, d1 is due again.
    expect(hooks.claimDue(2000, 10, 5000).map((d) => d.id)).toEqual(['d2']);
    expect(hooks.claimDue(6000, 10, 5000).map((d) => d.id)).toEqual(['d1']);
    expect(hooks.nextDueAt()).toBe(7000);
  });

  it('prunes finished deliveries and only events the fan-out has passed', async () => {
    const { store, hooks, appId, services } = await world();
    await services.accounts.create(appId, { email: 'a@agents.example.com' });
    const last = store.events.lastId();
    const at = hooks.cursor();
    hooks.enqueue(at, last - 1, [delivery('d1', last - 1)], 0);
    hooks.delivered('d1', 1);
    const future = Math.floor(Date.now() / 1000) + 10;
    const removed = hooks.prune({ delivered: future, failed: future, events: future });
    expect(removed.deliveries).toBe(1);
    expect(store.events.listAfter(0, 1000).map((e) => e.id)).toEqual([last]);
    expect(hooks.get(appId, 'wh1')?.status).toBe('active');
  });
});
