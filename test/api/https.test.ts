// WICKET_HTTP_TLS=true: the HTTP listener speaks HTTPS with the gateway's certificate, and
// `wicket status` still finds the server.
import { request } from 'node:https';
import { describe, expect, it } from 'vitest';
import { apiKey } from '../helpers/api.js';
import { wicketOk } from '../helpers/cli.js';
import { startTestGateway } from '../helpers/gateway.js';

function httpsGet(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; fingerprint: string; cookies: string[] }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, rejectUnauthorized: false }, (res) => {
      const cookies = res.headers['set-cookie'] ?? [];
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      const fingerprint = (res.socket as import('node:tls').TLSSocket).getPeerCertificate().fingerprint256;
      res.on('end', () => resolve({ status: res.statusCode!, body, fingerprint, cookies }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('WICKET_HTTP_TLS', () => {
  it('serves the API and health over HTTPS with the gateway certificate', async () => {
    const g = await startTestGateway({ WICKET_HTTP_TLS: 'true' });
    const key = apiKey(g);
    const grants = await httpsGet(g.ports.http, '/v3/grants', { authorization: `Bearer ${key}` });
    expect(grants.status).toBe(200);
    expect(JSON.parse(grants.body).data).toEqual([]);
    expect(grants.fingerprint.replace(/:/g, '').toLowerCase()).toBe(g.gateway.tls.fingerprint.replace(/:/g, '').toLowerCase());
    expect((await httpsGet(g.ports.http, '/healthz')).status).toBe(200);
    const status = await wicketOk(g.dir, ['status', '--json'], {
      env: { WICKET_DATA_DIR: g.dir, WICKET_HTTP_TLS: 'true', WICKET_HTTP_PORT: String(g.ports.http), WICKET_BIND: '127.0.0.1' },
    });
    expect(status.json.server).toMatchObject({ running: true });
  });
});

describe('the dashboard over HTTPS', () => {
  it('marks its cookies Secure when served over TLS', async () => {
    const g = await startTestGateway({ WICKET_HTTP_TLS: 'true' });
    const page = await httpsGet(g.ports.http, '/dashboard/sign-in');
    expect(page.status).toBe(200);
    expect(page.cookies.length).toBeGreaterThan(0);
    for (const cookie of page.cookies) expect(cookie).toMatch(/; HttpOnly; SameSite=Lax; Secure$/);
  });
});
