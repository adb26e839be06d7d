// wicket apikey create|list|revoke: the key is printed once, stored only as a hash, and a
// revoked key stops working at once — also for a server already running on the same data.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { api } from '../helpers/api.js';
import { wicket, wicketOk } from '../helpers/cli.js';
import { startTestGateway } from '../helpers/gateway.js';

describe('wicket apikey', () => {
  it('creates a key that works over HTTP, lists it by prefix, revokes it', async () => {
    const g = await startTestGateway();
    const env = { env: { WICKET_DATA_DIR: g.dir } };
    const created = (await wicketOk(g.dir, ['apikey', 'create', '--name', 'ci', '--json'], env)).json;
    expect(Object.keys(created).sort()).toEqual(['api_key', 'application_id', 'created_at', 'id', 'last_used_at', 'name', 'prefix', 'revoked_at', 'status']);
    expect(created.api_key).toMatch(/^wk_[A-Za-z0-9_-]{43}$/);
    expect(created.api_key.startsWith(created.prefix)).toBe(true);
    expect((await api(g, created.api_key, 'GET', '/v3/grants')).status).toBe(200);

    const text = await wicketOk(g.dir, ['apikey', 'create'], env);
    expect(text.stdout).toMatch(/^API key "api key" created for application default \(\S+\)\n\n {2}wk_\S{43}\n\nStore it now/);

    const listed = (await wicketOk(g.dir, ['apikey', 'list', '--json'], env)).json;
    expect(listed.map((k: { name: string }) => k.name)).toEqual(['ci', 'api key']);
    expect(JSON.stringify(listed)).not.toContain(created.api_key);
    expect(listed[0].last_used_at).not.toBeNull();
    const table = (await wicketOk(g.dir, ['apikey', 'list'], env)).stdout;
    expect(table).toContain(`${created.prefix}…`);
    expect(table).not.toContain(created.api_key);
    // Only a hash is on disk.
    const db = readFileSync(join(g.dir, 'wicket.db'));
    expect(db.includes(Buffer.from(created.api_key))).toBe(false);

    const revoked = (await wicketOk(g.dir, ['apikey', 'revoke', created.id, '--json'], env)).json;
    expect(revoked.status).toBe('revoked');
    expect((await api(g, created.api_key, 'GET', '/v3/grants')).status).toBe(401);
    const unknown = await wicket(g.dir, ['apikey', 'revoke', 'nope'], env);
    expect(unknown).toMatchObject({ code: 1, stderr: 'wicket: api key nope not found\n' });
  });
});
