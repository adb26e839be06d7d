// The dashboard's domains: add, the records with copy buttons, "Verify now" with the status of
// each record (against a small DNS server on 127.0.0.1), and delete — asked again when
// accounts use the domain.
import { describe, expect, it } from 'vitest';
import { startFakeDns } from '../helpers/dns-server.js';
import { startTestGateway } from '../helpers/gateway.js';
import { member, WebClient } from '../helpers/web.js';

async function signedIn(env: Record<string, string> = {}) {
  const g = await startTestGateway({ WICKET_BCRYPT_COST: '4', ...env });
  await member(g, 'admin@example.com');
  // Domains are for every member, not only admins.
  await member(g, 'dev@example.com', 'member');
  const web = WebClient.for(g);
  await web.signIn('dev@example.com');
  return { g, web };
}

/** The text of the status badge in a record's row. */
const recordStatus = (page: string, key: string): string | undefined =>
  new RegExp(`<tr id="record-${key}">[\\s\\S]*?<span class="badge[^"]*">([^<]*)</span>(?:<p class="hint">([^<]*)</p>)?[\\s\\S]*?</tr>`).exec(page)?.slice(1).join(' | ');

describe('dashboard domains', () => {
  it('adds a domain and shows its records, each value with a copy button', async () => {
    const { g, web } = await signedIn();
    await web.get('/dashboard/domains');
    const added = await web.post('/dashboard/domains', { domain: 'Mail.Example.ORG' });
    expect(added.status).toBe(303);
    const domain = g.gateway.services.domains.get('mail.example.org');
    expect(added.location).toBe(`/dashboard/domains/${domain.domain.id}`);
    const page = await web.get(added.location!);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Domain mail.example.org added');
    for (const r of domain.records) {
      expect(page.text).toContain(`<code id="rec-${r.key}-value">`);
      expect(page.text).toContain(`<button data-copy="#rec-${r.key}-value" hidden>Copy</button>`);
    }
    // The DKIM key and the ownership token are there to copy, escaped as text.
    expect(page.text).toContain(`wicket-verification=${domain.domain.ownershipToken}`);
    expect(page.text).toContain('v=DKIM1');
    expect(page.text).toMatch(/<tr id="record-mx">[\s\S]*?not checked/);
    const list = await web.get('/dashboard/domains');
    expect(list.text).toContain('mail.example.org');
    expect(list.text).toContain('not checked yet');
    const activity = g.gateway.services.team.activity.list();
    expect(activity[0]).toMatchObject({ action: 'domain.created', actorLabel: 'dev@example.com', objectId: domain.domain.id });
  });

  it('shows the service message next to the field for a bad or duplicate domain, storing nothing', async () => {
    const { g, web } = await signedIn();
    await web.get('/dashboard/domains');
    const bad = await web.post('/dashboard/domains', { domain: 'not a domain' });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/<p class="field-error" id="f-domain-error">[^<]+<\/p>/);
    expect(bad.text).toContain('value="not a domain"');
    const twice = await web.post('/dashboard/domains', { domain: 'agents.example.com' });
    expect(twice.status).toBe(409);
    expect(twice.text).toContain('domain agents.example.com is already registered');
    expect(g.gateway.services.domains.list().map((d) => d.domain.name)).toEqual(['agents.example.com']);
  });

  it('verifies now and shows each record as ok, wrong (with what was found) or missing', async () => {
    const dns = await startFakeDns();
    const { g, web } = await signedIn({ WICKET_DNS_SERVERS: dns.server, WICKET_DNS_TIMEOUT_MS: '1000' });
    const domain = g.gateway.services.domains.get('agents.example.com');
    dns.records.push(
      { type: 'MX', name: 'agents.example.com', exchange: 'mail.wicket.test' },
      { type: 'TXT', name: 'agents.example.com', data: 'v=spf1 include:elsewhere.example -all' },
    );
    const path = `/dashboard/domains/${domain.domain.id}`;
    await web.get(path);
    const verified = await web.post(`${path}/verify`);
    expect(verified.status).toBe(303);
    expect(verified.location).toBe(path);
    const page = await web.get(path);
    expect(page.status).toBe(200);
    expect(page.text).toContain('1 of 4 required records check out');
    expect(recordStatus(page.text, 'mx')).toBe('ok | ');
    expect(recordStatus(page.text, 'spf')).toBe('wrong | the SPF record does not authorize mail.wicket.test (add &quot;a:mail.wicket.test&quot; or &quot;mx&quot;)');
    expect(recordStatus(page.text, 'ownership')).toMatch(/^missing \| _wicket\.agents\.example\.com does not exist in DNS$/);
    expect(recordStatus(page.text, 'dkim')).toMatch(/^missing \| /);
    expect(page.text).toMatch(/<h1>agents\.example\.com <span class="badge bad">not verified<\/span><\/h1>/);
    expect(g.gateway.services.team.activity.list()[0]).toMatchObject({ action: 'domain.verified', detail: { status: 'unverified' } });
  });

  it('shows a lookup that could not be made as such, and the page still works', async () => {
    // Nothing answers DNS on port 9: every lookup fails or times out.
    const { g, web } = await signedIn({ WICKET_DNS_SERVERS: '127.0.0.1:9', WICKET_DNS_TIMEOUT_MS: '200' });
    const domain = g.gateway.services.domains.get('agents.example.com');
    const path = `/dashboard/domains/${domain.domain.id}`;
    await web.get(path);
    expect((await web.post(`${path}/verify`)).status).toBe(303);
    const page = await web.get(path);
    expect(page.status).toBe(200);
    expect(recordStatus(page.text, 'mx')).toMatch(/^lookup failed \| /);
  });

  it('asks again before deleting a domain that accounts use, then deletes it with them', async () => {
    const { g, web } = await signedIn();
    await g.account('alice');
    const domain = g.gateway.services.domains.get('agents.example.com');
    const page = await web.get(`/dashboard/domains/${domain.domain.id}`);
    expect(page.text).toContain('1 account uses this domain');
    const first = await web.post(`/dashboard/domains/${domain.domain.id}/delete`);
    expect(first.status).toBe(409);
    expect(first.text).toContain('domain agents.example.com still has 1 account');
    expect(first.text).toContain('name="force" value="1"');
    expect(g.gateway.services.domains.list()).toHaveLength(1);
    const forced = await web.post(`/dashboard/domains/${domain.domain.id}/delete`, { force: '1' });
    expect(forced.status).toBe(303);
    expect(forced.location).toBe('/dashboard/domains');
    expect(g.gateway.services.domains.list()).toHaveLength(0);
    expect(g.gateway.services.accounts.count(g.appId)).toBe(0);
    expect(g.gateway.services.team.activity.list()[0]).toMatchObject({ action: 'domain.deleted', detail: { name: 'agents.example.com', accounts_deleted: 1 } });
    expect((await web.get(`/dashboard/domains/${domain.domain.id}`)).status).toBe(404);
  });
});
