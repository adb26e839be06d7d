// The activity log names who changed what (issue 9): an API key's changes to configuration are
// written with the key's name, mail itself (messages, folders) is not; the CLI's changes too.
import { describe, expect, it } from 'vitest';
import { wicket } from '../helpers/cli.js';
import { api, apiKey } from '../helpers/api.js';
import { startTestGateway } from '../helpers/gateway.js';
import { tempDir } from '../helpers/tmp.js';
import { openStore } from '../../src/store/open.js';
import { join } from 'node:path';

describe('activity log sources', () => {
  it('records an API key’s configuration changes with the key, and not its mail operations', async () => {
    const g = await startTestGateway({ WICKET_BCRYPT_COST: '4' });
    const key = apiKey(g, 'deploy bot');
    const created = await api(g, key, 'POST', '/v3/connect/custom', { provider: 'nylas', settings: { email: 'bot@agents.example.com' } });
    expect(created.status).toBe(200);
    const grantId = created.body.data.id as string;
    const folders = await api(g, key, 'POST', `/v3/grants/${grantId}/folders`, { name: 'Projects' });
    expect(folders.status).toBe(200);
    const renamed = await api(g, key, 'PATCH', `/v3/grants/${grantId}`, { name: 'Bot' });
    expect(renamed.status).toBe(200);
    const entries = g.gateway.services.team.activity.list(10);
    expect(entries.map((e) => [e.action, e.actorType, e.objectId])).toEqual([
      ['grants.update', 'api_key', grantId],
      ['grants.create', 'api_key', grantId],
    ]);
    expect(entries[0]!.actorLabel).toMatch(/^deploy bot \(/);
    expect(JSON.stringify(entries)).not.toContain(key);
  });

  it('records a CLI change as the CLI, with its arguments, and not a read', async () => {
    const dir = tempDir();
    expect((await wicket(dir, ['domain', 'add', 'agents.example.com'])).code).toBe(0);
    expect((await wicket(dir, ['domain', 'list'])).code).toBe(0);
    const store = openStore(join(dir, 'data'));
    try {
      const entries = store.team.listActivity(10, null);
      expect(entries.map((e) => [e.action, e.actorType, e.objectId])).toEqual([['domain.add', 'cli', 'agents.example.com']]);
    } finally {
      store.close();
    }
  });
});
