import { describe, expect, it } from 'vitest';
import { DeliveryPipeline } from '../../src/delivery/pipeline.js';
import { createLogger } from '../../src/log.js';
import { wicket, wicketOk } from '../helpers/cli.js';
import { GOOD_PASSWORD, openWorld } from '../helpers/services.js';
import { startSink } from '../helpers/sink.js';
import { tempDir } from '../helpers/tmp.js';

/** A data directory whose queue holds one message to two remote recipients, held (relay none). */
async function heldQueue(): Promise<string> {
  const dir = tempDir();
  const w = openWorld({ dir: `${dir}/data` });
  await w.services.domains.add('agents.example.com');
  const sales = await w.services.accounts.create(w.appId, { email: 'sales@agents.example.com', appPassword: GOOD_PASSWORD });
  const pipeline = new DeliveryPipeline(w.store, w.config, createLogger('silent'));
  await pipeline.deliver(
    { kind: 'submission', account: sales, peer: { address: '127.0.0.1', helo: 'test', protocol: 'ESMTPSA', tls: null } },
    { mailFrom: sales.email, recipients: [{ address: 'a@remote.example', dsn: null }, { address: 'b@remote.example', dsn: null }] },
    Buffer.from('From: sales@agents.example.com\r\nSubject: queued\r\n\r\nhello\r\n'),
  );
  w.store.close();
  return dir;
}

const ENTRY_KEYS = [
  'application_id', 'attempts', 'created_at', 'expires_at', 'from', 'grant_id', 'id', 'last_attempt_at', 'last_response',
  'message_id', 'next_attempt_at', 'size', 'status', 'to', 'updated_at',
];

describe('wicket queue', () => {
  it('list shows held entries, as text and JSON', async () => {
    const dir = await heldQueue();
    const { json } = await wicketOk(dir, ['queue', 'list', '--json']);
    expect(json).toHaveLength(2);
    expect(Object.keys(json[0]).sort()).toEqual(ENTRY_KEYS);
    expect(json.map((e: { to: string; status: string }) => [e.to, e.status])).toEqual([
      ['a@remote.example', 'held'],
      ['b@remote.example', 'held'],
    ]);
    const text = (await wicketOk(dir, ['queue', 'list'])).stdout;
    expect(text).toMatch(/^Queue \(2\) — relay: none\nID +STATUS +FROM +TO +ATTEMPTS +NEXT ATTEMPT +LAST RESPONSE\n/);
  });

  it('with WICKET_RELAY=none, flush sends nothing and retry refuses', async () => {
    const dir = await heldQueue();
    const flush = await wicketOk(dir, ['queue', 'flush']);
    expect(flush.stdout).toBe('WICKET_RELAY is "none": nothing is sent.\n2 held entries stay held (release with: wicket queue retry all).\n');
    const retry = await wicket(dir, ['queue', 'retry', 'all']);
    expect(retry).toMatchObject({ code: 1, stderr: 'wicket: WICKET_RELAY is "none": there is no relay to send through, so held mail stays held\n' });
  });

  it('retry releases held mail to the relay, and flush sends it now', async () => {
    const dir = await heldQueue();
    const sink = await startSink();
    const env = { WICKET_RELAY: `smtp://127.0.0.1:${sink.port}` };
    expect((await wicketOk(dir, ['queue', 'retry', 'all', '--json'], { env })).json).toEqual({ retried: 2 });
    const flushed = (await wicketOk(dir, ['queue', 'flush', '--json'], { env })).json;
    expect(flushed).toEqual({ attempted: 2, delivered: 2, deferred: 0, failed: 0, held: 0, relay: 'smarthost' });
    expect(sink.received).toHaveLength(1);
    expect(sink.received[0]!.rcptTo).toEqual(['a@remote.example', 'b@remote.example']);
    expect((await wicketOk(dir, ['queue', 'list', '--json'])).json).toEqual([]);
    const all = (await wicketOk(dir, ['queue', 'list', '--all', '--json'])).json;
    expect(all.map((e: { status: string }) => e.status)).toEqual(['delivered', 'delivered']);
  });

  it('delete removes one entry (with --yes), and refuses unknown ids', async () => {
    const dir = await heldQueue();
    const [first] = (await wicketOk(dir, ['queue', 'list', '--json'])).json;
    const refused = await wicket(dir, ['queue', 'delete', first.id]);
    expect(refused).toMatchObject({
      code: 2,
      stderr: `wicket: refusing to delete queue entry ${first.id} (to a@remote.example) without --yes (standard input is not a terminal)\n`,
    });
    expect((await wicketOk(dir, ['queue', 'delete', first.id, '--yes', '--json'])).json).toEqual({ deleted: true, id: first.id, to: 'a@remote.example' });
    expect((await wicketOk(dir, ['queue', 'list', '--json'])).json).toHaveLength(1);
    expect(await wicket(dir, ['queue', 'delete', 'nope', '--yes'])).toMatchObject({ code: 1, stderr: 'wicket: queue entry nope not found\n' });
    expect(await wicket(dir, ['queue', 'retry', 'nope'], { env: { WICKET_RELAY: 'direct' } })).toMatchObject({
      code: 1,
      stderr: 'wicket: queue entry nope not found\n',
    });
  });
});
