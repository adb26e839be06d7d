// Grants over the REST API against the whole gateway on port 0: API-key auth, create (connect
// custom), list with pagination, get, patch (reset ends IMAP sessions), delete, bad input.
import { describe, expect, it } from 'vitest';
import { api, apiKey, masked } from '../helpers/api.js';
import { PASSWORD, startTestGateway } from '../helpers/gateway.js';
import { imapLogin } from '../helpers/imap-client.js';

const NEW_PASSWORD = 'AnotherSecureP4ssword1';

const connect = (email: string, extra: Record<string, unknown> = {}) => ({
  provider: 'nylas',
  settings: { email, app_password: PASSWORD },
  ...extra,
});

describe('API keys', () => {
  it('no key, a malformed key, an unknown key and a revoked key all get the same 401', async () => {
    const g = await startTestGateway();
    const { key, secret } = g.gateway.services.apiKeys.create(g.appId, 'to revoke');
    expect((await api(g, secret, 'GET', '/v3/grants')).status).toBe(200);
    g.gateway.services.apiKeys.revoke(g.appId, key.id);
    const answers = await Promise.all([
      api(g, null, 'GET', '/v3/grants'),
      api(g, 'nonsense', 'GET', '/v3/grants'),
      api(g, `wk_${'A'.repeat(43)}`, 'GET', '/v3/grants'),
      api(g, secret, 'GET', '/v3/grants'),
      api(g, null, 'GET', '/v3/grants', undefined, { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(masked(answer.body)).toEqual({
        request_id: '<id>',
        error: { type: 'api.authentication_error', message: 'Unauthorized: send a valid API key as "Authorization: Bearer <key>"' },
      });
      expect(answer.headers.get('x-request-id')).toBe(answer.body.request_id);
    }
  });

  it('repeated wrong keys from one address are throttled with 429 and Retry-After', async () => {
    const g = await startTestGateway({ WICKET_AUTH_MAX_FAILURES: '3' });
    const good = apiKey(g);
    for (let i = 0; i < 3; i++) expect((await api(g, `wk_${String(i).repeat(43)}`, 'GET', '/v3/grants')).status).toBe(401);
    const throttled = await api(g, good, 'GET', '/v3/grants');
    expect(throttled.status).toBe(429);
    expect(throttled.body.error.type).toBe('api.rate_limit_error');
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('a key sees only its own application: grants of another application are 404', async () => {
    const g = await startTestGateway();
    const mine = apiKey(g);
    const other = g.gateway.services.applications.create('customer-2');
    const theirs = g.gateway.services.apiKeys.create(other.id, 'theirs').secret;
    const created = await api(g, mine, 'POST', '/v3/connect/custom', connect('sales@agents.example.com'));
    expect(created.status).toBe(200);
    const id = created.body.data.id;
    expect((await api(g, theirs, 'GET', `/v3/grants/${id}`)).status).toBe(404);
    expect((await api(g, theirs, 'PATCH', `/v3/grants/${id}`, { name: 'Stolen' })).status).toBe(404);
    expect((await api(g, theirs, 'DELETE', `/v3/grants/${id}`)).status).toBe(404);
    expect((await api(g, theirs, 'GET', '/v3/grants')).body.data).toEqual([]);
    // The address is still unique installation-wide (mail is routed by address).
    const taken = await api(g, theirs, 'POST', '/v3/connect/custom', connect('sales@agents.example.com'));
    expect(taken.status).toBe(409);
    expect(taken.body.error.message).toBe('account sales@agents.example.com already exists');
    expect((await api(g, mine, 'GET', `/v3/grants/${id}`)).body.data.name).toBeNull();
  });
});

describe('POST /v3/connect/custom', () => {
  it('creates the grant and answers with its exact shape; IMAP accepts the app password', async () => {
    const g = await startTestGateway();
    const key = apiKey(g);
    const reply = await api(g, key, 'POST', '/v3/connect/custom', connect('Sales@Agents.Example.com', { name: 'Sales Agent' }));
    expect(reply.status).toBe(200);
    expect(masked(reply.body)).toEqual({
      request_id: '<id>',
      data: {
        id: '<id>',
        provider: 'nylas',
        email: 'sales@agents.example.com',
        name: 'Sales Agent',
        workspace_id: '<id>',
        application_id: '<id>',
        grant_status: 'valid',
        has_app_password: true,
        settings: { email: 'sales@agents.example.com', has_app_password: true },
        created_at: '<time>',
        updated_at: '<time>',
      },
    });
    expect(reply.body.data.application_id).toBe(g.appId);
    expect(reply.text).not.toContain(PASSWORD);
    const session = await imapLogin(g.ports.imap, 'sales@agents.example.com', PASSWORD);
    expect((await session.transact('SELECT INBOX')).tagged).toMatch(/OK \[READ-WRITE\]/);
  });

  it('without an app password the grant exists but protocols refuse it', async () => {
    const g = await startTestGateway();
    const reply = await api(g, apiKey(g), 'POST', '/v3/connect/custom', { provider: 'nylas', settings: { email: 'bot@agents.example.com' } });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toMatchObject({ has_app_password: false, name: null });
  });

  it('places the account in the named workspace; an unknown workspace is 404; null means by placement', async () => {
    const g = await startTestGateway();
    const key = apiKey(g);
    const ws = g.gateway.services.workspaces.create(g.appId, { name: 'support' });
    const placed = await api(g, key, 'POST', '/v3/connect/custom', connect('a@agents.example.com', { workspace_id: ws.id }));
    expect(placed.body.data.workspace_id).toBe(ws.id);
    const byDefault = await api(g, key, 'POST', '/v3/connect/custom', connect('b@agents.example.com', { workspace_id: null }));
    expect(byDefault.body.data.workspace_id).toBe(g.gateway.services.workspaces.defaultFor(g.appId).id);
    const unknown = await api(g, key, 'POST', '/v3/connect/custom', connect('c@agents.example.com', { workspace_id: 'no-such-workspace' }));
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.type).toBe('api.not_found_error');
  });

  it('refuses bad input with 400 naming what to fix, and writes nothing', async () => {
    const g = await startTestGateway();
    const key = apiKey(g);
    const cases: [unknown, string, string][] = [
      [{ provider: 'google', settings: { email: 'x@agents.example.com' } }, 'api.invalid_request_error', 'provider: provider must be "nylas"'],
      [{ provider: 'nylas', settings: { email: 'x@unregistered.example' } }, 'api.invalid_request_error', 'domain unregistered.example is not registered'],
      [connect('x@agents.example.com', { settings: { email: 'x@agents.example.com', app_password: 'short' } }), 'api.invalid_request_error', 'app password must be 18 to 40 characters long (it has 5)'],
      [connect('x@agents.example.com', { settings: { email: 'x@agents.example.com', app_password: 'alllowercaseletters1' } }), 'api.invalid_request_error', expect.stringMatching(/upper/i) as unknown as string],
      [connect('x@agents.example.com', { name: 'Bad\r\nBcc: victim@example.com' }), 'api.invalid_request_error', 'the display name must not contain a line break (CR or LF)'],
      [{ provider: 'nylas', settings: {} }, 'api.invalid_request_error', 'settings.email: settings.email is required: the new account address'],
      [{ provider: 'nylas', settings: { email: 'x@agents.example.com' }, extra: true }, 'api.invalid_request_error', 'body: Unrecognized key: "extra"'],
      [{ provider: 'nylas', settings: { email: 42 } }, 'api.invalid_request_error', 'settings.email: settings.email is required: the new account address'],
      [{ provider: 'nylas', settings: { email: 'not an address' } }, 'api.invalid_request_error', expect.stringMatching(/^invalid address/) as unknown as string],
      [[], 'api.invalid_request_error', expect.stringMatching(/^body: /) as unknown as string],
    ];
    for (const [body, type, message] of cases) {
      const reply = await api(g, key, 'POST', '/v3/connect/custom', body);
      expect({ status: reply.status, error: reply.body.error }).toEqual({ status: 400, error: { type, message } });
    }
    const malformed = await api(g, key, 'POST', '/v3/connect/custom', '{"provider": "nylas",', { 'content-type': 'application/json' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.type).toBe('api.invalid_request_payload');
    expect(malformed.body.error.message).toMatch(/^malformed JSON body/);
    const empty = await api(g, key, 'POST', '/v3/connect/custom', '', { 'content-type': 'application/json' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toBe('a JSON body is required (Content-Type: application/json)');
    const wrongType = await api(g, key, 'POST', '/v3/connect/custom', 'provider=nylas', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(wrongType.status).toBe(415);
    expect(wrongType.body.error.message).toBe('unsupported Content-Type application/x-www-form-urlencoded: send application/json');
    expect(g.gateway.services.accounts.count(g.appId)).toBe(0);
  });

  it('refuses a body over the limit with 413 and stays up', async () => {
    const g = await startTestGateway({ WICKET_SUBMISSION_MAX_SIZE: '100000' });
    const key = apiKey(g);
    const huge = JSON.stringify(connect('x@agents.example.com', { name: 'x'.repeat(400_000) }));
    const reply = await api(g, key, 'POST', '/v3/connect/custom', huge, { 'content-type': 'application/json' });
    expect(reply.status).toBe(413);
    expect(reply.body.error.type).toBe('api.payload_too_large');
    expect((await api(g, key, 'GET', '/v3/grants')).status).toBe(200);
  });
});

describe('GET /v3/grants', () => {
  it('pages with limit and next_cursor (page_token), oldest first; offset works too', async () => {
    const g = await startTestGateway();
    const key = apiKey(g);
    for (const n of [1, 2, 3, 4, 5]) await g.account(`a${n}`, { password: null });
    const first = await api(g, key, 'GET', '/v3/grants?limit=2');
    expect(first.body.data.map((d: { email: string }) => d.email)).toEqual(['a1@agents.example.com', 'a2@agents.example.com']);
    expect(first.body.next_cursor).toBe('2');
    const second = await api(g, key, 'GET', `/v3/grants?limit=2&page_token=${first.body.next_cursor}`);
    expect(second.body.data.map((d: { email: string }) => d.email)).toEqual(['a3@agents.example.com', 'a4@agents.example.com']);
    const last = await api(g, key, 'GET', `/v3/grants?limit=2&page_token=${second.body.next_cursor}`);
    expect(last.body.data.map((d: { email: string }) => d.email)).toEqual(['a5@agents.example.com']);
    expect(last.body.next_cursor).toBeNull();
    expect((await api(g, key, 'GET', '/v3/grants?offset=4')).body.data).toHaveLength(1);
    expect((await api(g, key, 'GET', '/v3/grants?email=A3@agents.example.com')).body.data.map((d: { email: string }) => d.email)).toEqual([
      'a3@agents.example.com',
    ]);
    for (const [query, message] of [
      ['limit=0', 'limit: Too small: expected number to be >=1'],
      ['limit=201', 'limit: Too big: expected number to be <=200'],
      ['limit=ten', 'limit: expected a number'],
      ['offset=-1', 'offset: Too small: expected number to be >=0'],
      ['page_token=abc', 'page_token: expected the next_cursor of an earlier page'],
      ['colour=blue', 'query: Unrecognized key: "colour"'],
    ]) {
      const reply = await api(g, key, 'GET', `/v3/grants?${query}`);
      expect({ query, status: reply.status, message: reply.body.error?.message }).toEqual({ query, status: 400, message });
    }
  });
});

describe('GET, PATCH, DELETE /v3/grants/{id}', () => {
  it('gets by id or address; patches name and workspace (null ignored); deletes', async () => {
    const g = await startTestGateway();
    const key = apiKey(g);
    const id = (await api(g, key, 'POST', '/v3/connect/custom', connect('sales@agents.example.com'))).body.data.id;
    expect((await api(g, key, 'GET', `/v3/grants/${id}`)).body.data.email).toBe('sales@agents.example.com');
    expect((await api(g, key, 'GET', '/v3/grants/sales@agents.example.com')).body.data.id).toBe(id);
    const ws = g.gateway.services.workspaces.create(g.appId, { name: 'support' });
    const patched = await api(g, key, 'PATCH', `/v3/grants/${id}`, { name: 'Sales Agent', workspace_id: ws.id });
    expect(patched.body.data).toMatchObject({ name: 'Sales Agent', workspace_id: ws.id });
    const nullWorkspace = await api(g, key, 'PATCH', `/v3/grants/${id}`, { workspace_id: null });
    expect(nullWorkspace.status).toBe(200);
    expect(nullWorkspace.body.data.workspace_id).toBe(ws.id);
    expect((await api(g, key, 'PATCH', `/v3/grants/${id}`, { name: 'x'.repeat(257) })).status).toBe(400);
    expect((await api(g, key, 'PATCH', `/v3/grants/${id}`, { settings: { email: 'other@agents.example.com' } })).body.error.message).toBe(
      'settings: Unrecognized key: "email"',
    );
    const deleted = await api(g, key, 'DELETE', `/v3/grants/${id}`);
    expect(masked(deleted.body)).toEqual({ request_id: '<id>' });
    expect((await api(g, key, 'GET', `/v3/grants/${id}`)).status).toBe(404);
    expect((await api(g, key, 'DELETE', `/v3/grants/${id}`)).status).toBe(404);
    // The address can be created again, with a new id.
    const again = await api(g, key, 'POST', '/v3/connect/custom', connect('sales@agents.example.com'));
    expect(again.body.data.id).not.toBe(id);
  });

  it('PATCH settings.app_password resets the password and ends open IMAP sessions; a weak one is 400', async () => {
    const g = await startTestGateway();
    const key = apiKey(g);
    const id = (await api(g, key, 'POST', '/v3/connect/custom', connect('sales@agents.example.com'))).body.data.id;
    const session = await imapLogin(g.ports.imap, 'sales@agents.example.com', PASSWORD);
    await session.transact('SELECT INBOX');
    const weak = await api(g, key, 'PATCH', `/v3/grants/${id}`, { settings: { app_password: 'NoDigitsHereAtAllXYZ' } });
    expect(weak.status).toBe(400);
    expect(weak.body.error.message).toMatch(/digit/);
    expect((await session.transact('NOOP')).tagged).toMatch(/OK/);
    const reset = await api(g, key, 'PATCH', `/v3/grants/${id}`, { settings: { app_password: NEW_PASSWORD } });
    expect(reset.status).toBe(200);
    expect(reset.text).not.toContain(NEW_PASSWORD);
    expect(await session.response()).toBe('* BYE the app password was changed; log in again');
    await expect(imapLogin(g.ports.imap, 'sales@agents.example.com', PASSWORD)).rejects.toThrow();
    const fresh = await imapLogin(g.ports.imap, 'sales@agents.example.com', NEW_PASSWORD);
    expect((await fresh.transact('NOOP')).tagged).toMatch(/OK/);
  });
});
