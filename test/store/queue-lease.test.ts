// The outbound queue's claims are leases: a worker renews them while it sends, so entries of a
// worker that died (kill -9) come back a lease later, while a slow send is never taken twice.
import { describe, expect, it } from 'vitest';
import { startTestGateway } from '../helpers/gateway.js';

const PEER = { address: '127.0.0.1', helo: 'test', protocol: 'ESMTP', tls: null };

describe('outbound queue leases', () => {
  it('a claim holds for the lease, is extended by renew, and lapses when its worker stops renewing', async () => {
    const g = await startTestGateway({ WICKET_RELAY: 'none' });
    const sales = await g.account('sales');
    const { store } = g.gateway.services;
    const raw = Buffer.from(`From: ${sales.email}\r\nTo: someone@remote.example\r\nSubject: lease\r\n\r\nHello\r\n`);
    await g.gateway.pipeline.deliver({ kind: 'submission', account: sales, peer: PEER }, { mailFrom: sales.email, recipients: [{ address: 'someone@remote.example', dsn: null }] }, raw);
    const now = Math.floor(Date.now() / 1000) + 10;
    // Held (WICKET_RELAY=none) until released.
    expect(store.queue.claim(now, 10, 60)).toHaveLength(0);
    expect(store.queue.retry('all', now)).toBe(1);

    const [claimed] = store.queue.claim(now, 10, 60);
    expect(claimed).toMatchObject({ status: 'sending', attempts: 1 });
    expect(store.queue.claim(now + 59, 10, 60)).toHaveLength(0);
    store.queue.renew([claimed!.id], now + 50);
    expect(store.queue.claim(now + 109, 10, 60)).toHaveLength(0);
    // No renewal since now + 50: the worker is gone, the entry is taken up again.
    const [again] = store.queue.claim(now + 110, 10, 60);
    expect(again).toMatchObject({ id: claimed!.id, status: 'sending', attempts: 2 });
    // Renewing only touches entries still being sent.
    store.queue.deferred(again!.id, '451 4.3.0 try later', now + 1000);
    store.queue.renew([again!.id], now + 2000);
    expect(store.queue.get(again!.id)).toMatchObject({ status: 'queued' });
  });
});
