// Domains over the REST API: the same service as `wicket domain`, organization-wide.
import { describe, expect, it } from 'vitest';
import { api, apiKey, masked } from '../helpers/api.js';
import { startTestGateway } from '../helpers/gateway.js';

describe('/v3/domains', () => {
  it('adds, lists, gets (by id or name), shows records, verifies and deletes', async () => {
    const g = await startTestGateway({ WICKET_DNS_SERVERS: '127.0.0.1:9', WICKET_DNS_TIMEOUT_MS: '200' });
    const key = apiKey(g);
    const added = await api(g, key, 'POST', '/v3/domains', { name: 'Mail.Example.ORG' });
    expect(added.status).toBe(200);
    const domain = added.body.data;
    expect(Object.keys(domain).sort()).toEqual(['account_count', 'created_at', 'dkim_selector', 'id', 'name', 'records', 'status', 'updated_at']);
    expect(domain).toMatchObject({ name: 'mail.example.org', status: 'pending', account_count: 0 });
    expect(domain.records.map((r: { key: string }) => r.key)).toEqual(
      expect.arrayContaining(['mx', 'spf', 'dkim', 'dmarc', 'ownership', 'srv_imaps', 'srv_submissions', 'srv_submission']),
    );
    expect(masked(domain.records.find((r: { key: string }) => r.key === 'mx'))).toEqual({
      key: 'mx',
      type: 'MX',
      host: 'mail.example.org',
      value: 'mail.wicket.test',
      priority: 10,
      required: true,
      purpose: expect.any(String),
      status: 'pending',
      reason: null,
      checked_at: null,
      zone: 'mail.example.org. 3600 IN MX 10 mail.wicket.test.',
    });
    const list = await api(g, key, 'GET', '/v3/domains');
    expect(list.body.data.map((d: { name: string }) => d.name).sort()).toEqual(['agents.example.com', 'mail.example.org']);
    expect(list.body.next_cursor).toBeNull();
    expect((await api(g, key, 'GET', `/v3/domains/${domain.id}`)).body.data.id).toBe(domain.id);
    expect((await api(g, key, 'GET', '/v3/domains/mail.example.org')).body.data.id).toBe(domain.id);
    const records = await api(g, key, 'GET', `/v3/domains/${domain.id}/records`);
    expect(records.body.data).toEqual(domain.records);
    // No DNS answers here (a closed port): every record is checked and found unverified.
    const verified = await api(g, key, 'POST', `/v3/domains/${domain.id}/verify`);
    expect(verified.status).toBe(200);
    expect(verified.body.data.status).toBe('unverified');
    expect(verified.body.data.records.every((r: { status: string; checked_at: number | null }) => r.status === 'unverified' && r.checked_at !== null)).toBe(true);
    expect(masked((await api(g, key, 'DELETE', `/v3/domains/${domain.id}`)).body)).toEqual({ request_id: '<id>' });
    expect((await api(g, key, 'GET', `/v3/domains/${domain.id}`)).status).toBe(404);
  });

  it('errors: bad name 400, duplicate 409, unknown 404, delete with accounts 409 unless force=true', async () => {
    const g = await startTestGateway();
    const key = apiKey(g);
    const bad = await api(g, key, 'POST', '/v3/domains', { name: 'not a domain' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.type).toBe('api.invalid_request_error');
    expect((await api(g, key, 'POST', '/v3/domains', {})).body.error.message).toBe('name: the domain to register is required');
    const duplicate = await api(g, key, 'POST', '/v3/domains', { domain_address: 'agents.example.com' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error).toEqual({ type: 'api.conflict_error', message: 'domain agents.example.com is already registered' });
    const unknown = await api(g, key, 'GET', '/v3/domains/7b1e1a52-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe('domain 7b1e1a52-0000-4000-8000-000000000000 is not registered');
    await g.account('sales');
    const busy = await api(g, key, 'DELETE', '/v3/domains/agents.example.com');
    expect(busy.status).toBe(409);
    expect(busy.body.error.message).toBe('domain agents.example.com still has 1 account; delete it first or force the deletion');
    expect((await api(g, key, 'DELETE', '/v3/domains/agents.example.com?force=maybe')).status).toBe(400);
    expect((await api(g, key, 'DELETE', '/v3/domains/agents.example.com?force=true')).status).toBe(200);
    expect(g.gateway.services.accounts.count(g.appId)).toBe(0);
  });
});
