// The OpenAPI document and the reference page: generated from the routes' own schemas, so
// every route is described, with its parameters and body.
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../src/api/routes/index.js';
import { api, apiKey } from '../helpers/api.js';
import { startTestGateway } from '../helpers/gateway.js';

describe('GET /v3/openapi.json and /v3/docs', () => {
  it('describe every route without a key; the page renders each operation', async () => {
    const g = await startTestGateway();
    const doc = await api(g, null, 'GET', '/v3/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.headers.get('content-type')).toMatch(/^application\/json/);
    expect(doc.body.openapi).toBe('3.1.0');
    const operations = Object.entries(doc.body.paths as Record<string, Record<string, any>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    for (const r of ROUTES) expect(operations).toContain(`${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
    const connect = doc.body.paths['/v3/connect/custom'].post;
    const body = connect.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(expect.arrayContaining(['provider', 'settings']));
    expect(body.properties.settings.properties.email.type).toBe('string');
    expect(body.additionalProperties).toBe(false);
    const list = doc.body.paths['/v3/grants'].get;
    expect(list.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(
      expect.arrayContaining(['query:limit', 'query:offset', 'query:page_token']),
    );
    const get = doc.body.paths['/v3/grants/{grantId}'].get;
    expect(get.parameters).toEqual([expect.objectContaining({ name: 'grantId', in: 'path', required: true })]);
    expect(new Set(operations.map((o) => doc.body.paths[o.split(' ')[1]!][o.split(' ')[0]!.toLowerCase()].operationId)).size).toBe(operations.length);

    const page = await api(g, null, 'GET', '/v3/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.text).toContain('<code>/v3/connect/custom</code>');
    expect(page.text).not.toMatch(/<script/);
    // Both are the same with a key.
    expect((await api(g, apiKey(g), 'GET', '/v3/openapi.json')).body).toEqual(doc.body);
  });

  it('unknown /v3 paths are 404 in the API error shape; other paths keep their own routes', async () => {
    const g = await startTestGateway();
    const missing = await api(g, apiKey(g), 'GET', '/v3/unknown');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ request_id: expect.any(String), error: { type: 'api.not_found_error', message: 'no route for GET /v3/unknown' } });
    expect((await api(g, null, 'GET', '/healthz')).body).toMatchObject({ status: 'ok' });
  });
});
