// Client setup over real HTTP against the whole gateway: Thunderbird autoconfig, Microsoft
// Autodiscover and the Apple profile, each parsed with a real parser (fast-xml-parser, plist).
import { request } from 'node:http';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parse as parsePlist } from 'plist';
import { describe, expect, it } from 'vitest';
import { PASSWORD, type TestGateway, startTestGateway } from '../helpers/gateway.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request with node:http, so tests control Host, HEAD and chunked bodies. */
function http(
  port: number,
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer; chunked?: boolean } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.body !== undefined && !opts.chunked) headers['content-length'] = String(Buffer.byteLength(opts.body));
    const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    // The server may answer 413 and close before the whole body is written.
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err)));
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, isArray: (name) => ['domain', 'incomingServer', 'outgoingServer', 'Protocol'].includes(name) });

function parseXml(body: string): any {
  expect(XMLValidator.validate(body)).toBe(true);
  return xml.parse(body);
}

const REQUEST_SCHEMA = 'http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006';
const RESPONSE_SCHEMA = 'http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a';

function autodiscoverRequest(email: string, schema = RESPONSE_SCHEMA): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="${REQUEST_SCHEMA}">
  <Request>
    <EMailAddress>${email}</EMailAddress>
    <AcceptableResponseSchema>${schema}</AcceptableResponseSchema>
  </Request>
</Autodiscover>`;
}

const autodiscover = (g: TestGateway, body: string, path = '/autodiscover/autodiscover.xml') =>
  http(g.ports.http, path, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });

const CUSTOM = {
  WICKET_HOSTNAME: 'imap.custom.example',
  WICKET_PUBLIC_IMAP_PORT: '10143',
  WICKET_PUBLIC_IMAPS_PORT: '10993',
  WICKET_PUBLIC_SUBMISSION_PORT: '10587',
  WICKET_PUBLIC_SUBMISSIONS_PORT: '10465',
};

/** The four servers every document must name, for a host and the public ports. */
function expectedServers(host: string, p: { imaps: number; imap: number; submissions: number; submission: number }) {
  return {
    imap: [
      { hostname: host, port: String(p.imaps), socketType: 'SSL', authentication: 'password-cleartext', username: '%EMAILADDRESS%' },
      { hostname: host, port: String(p.imap), socketType: 'STARTTLS', authentication: 'password-cleartext', username: '%EMAILADDRESS%' },
    ],
    smtp: [
      { hostname: host, port: String(p.submissions), socketType: 'SSL', authentication: 'password-cleartext', username: '%EMAILADDRESS%' },
      { hostname: host, port: String(p.submission), socketType: 'STARTTLS', authentication: 'password-cleartext', username: '%EMAILADDRESS%' },
    ],
  };
}

const STANDARD = { imaps: 993, imap: 143, submissions: 465, submission: 587 };

describe('Thunderbird autoconfig', () => {
  it.each(['/.well-known/autoconfig/mail/config-v1.1.xml', '/mail/config-v1.1.xml?emailaddress=sales%40agents.example.com'])(
    'GET %s: clientConfig 1.1 with IMAP 993 SSL, 143 STARTTLS, SMTP 465 SSL, 587 STARTTLS',
    async (path) => {
      const g = await startTestGateway();
      const reply = await http(g.ports.http, path);
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toBe('application/xml; charset=utf-8');
      const doc = parseXml(reply.body);
      expect(doc.clientConfig['@version']).toBe('1.1');
      const provider = doc.clientConfig.emailProvider;
      expect(provider['@id']).toBe('agents.example.com');
      expect(provider.domain).toEqual(['agents.example.com']);
      expect(provider.displayName).toBe('agents.example.com');
      expect(provider.displayShortName).toBe('agents');
      const servers = expectedServers('mail.wicket.test', STANDARD);
      expect(provider.incomingServer.map((s: any) => s['@type'])).toEqual(['imap', 'imap']);
      expect(provider.incomingServer.map(({ '@type': _, ...rest }: any) => rest)).toEqual(servers.imap);
      expect(provider.outgoingServer.map((s: any) => s['@type'])).toEqual(['smtp', 'smtp']);
      expect(provider.outgoingServer.map(({ '@type': _, ...rest }: any) => rest)).toEqual(servers.smtp);
    },
  );

  it('names WICKET_HOSTNAME and the WICKET_PUBLIC_*_PORT values', async () => {
    const g = await startTestGateway(CUSTOM);
    const provider = parseXml((await http(g.ports.http, '/mail/config-v1.1.xml')).body).clientConfig.emailProvider;
    const servers = expectedServers('imap.custom.example', { imaps: 10993, imap: 10143, submissions: 10465, submission: 10587 });
    expect(provider.incomingServer.map(({ '@type': _, ...rest }: any) => rest)).toEqual(servers.imap);
    expect(provider.outgoingServer.map(({ '@type': _, ...rest }: any) => rest)).toEqual(servers.smtp);
  });

  it('lists every registered domain, or the one asked about (by address or by autoconfig.<domain> host)', async () => {
    const g = await startTestGateway();
    await g.gateway.services.domains.add('second.example.org');
    const domainsOf = async (path: string, headers: Record<string, string> = {}) => {
      const provider = parseXml((await http(g.ports.http, path, { headers })).body).clientConfig.emailProvider;
      return { id: provider['@id'], domains: provider.domain };
    };
    const all = ['agents.example.com', 'second.example.org'];
    expect(await domainsOf('/.well-known/autoconfig/mail/config-v1.1.xml')).toEqual({ id: 'mail.wicket.test', domains: all });
    expect(await domainsOf('/mail/config-v1.1.xml?emailaddress=x%40Second.Example.org')).toEqual({
      id: 'second.example.org',
      domains: ['second.example.org'],
    });
    // A domain the gateway does not host: the generic document, naming what it does host.
    expect(await domainsOf('/mail/config-v1.1.xml?emailaddress=x%40elsewhere.test')).toEqual({ id: 'mail.wicket.test', domains: all });
    expect(await domainsOf('/mail/config-v1.1.xml', { host: 'autoconfig.second.example.org:8080' })).toEqual({
      id: 'second.example.org',
      domains: ['second.example.org'],
    });
  });

  it('HEAD answers the headers; a bad emailaddress is 400 and POST is 405, in the server JSON shape', async () => {
    const g = await startTestGateway();
    const get = await http(g.ports.http, '/mail/config-v1.1.xml');
    const head = await http(g.ports.http, '/mail/config-v1.1.xml', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
    const bad = await http(g.ports.http, '/mail/config-v1.1.xml?emailaddress=not-an-address');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toEqual({
      error: { type: 'invalid_request', message: 'emailaddress: invalid address: "not-an-address" is not an email address (expected local-part@domain)' },
    });
    const post = await http(g.ports.http, '/mail/config-v1.1.xml', { method: 'POST', body: '' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    expect(JSON.parse(post.body)).toEqual({ error: { type: 'method_not_allowed', message: 'POST is not allowed on /mail/config-v1.1.xml' } });
  });
});

describe('Microsoft Autodiscover (POX)', () => {
  it.each(['/autodiscover/autodiscover.xml', '/Autodiscover/Autodiscover.xml'])('POST %s: 2006a settings, IMAP and SMTP', async (path) => {
    const g = await startTestGateway();
    const sales = await g.account('sales');
    const reply = await autodiscover(g, autodiscoverRequest('Sales@Agents.Example.com'), path);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/xml; charset=utf-8');
    const doc = parseXml(reply.body);
    expect(doc.Autodiscover['@xmlns']).toBe('http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006');
    expect(doc.Autodiscover.Response['@xmlns']).toBe(RESPONSE_SCHEMA);
    const account = doc.Autodiscover.Response.Account;
    expect(account.AccountType).toBe('email');
    expect(account.Action).toBe('settings');
    const common = { Server: 'mail.wicket.test', DomainRequired: 'off', LoginName: sales.email, SPA: 'off', SSL: 'on', AuthRequired: 'on' };
    expect(account.Protocol).toEqual([
      { Type: 'IMAP', Port: '993', Encryption: 'SSL', ...common },
      { Type: 'IMAP', Port: '143', Encryption: 'TLS', ...common },
      { Type: 'SMTP', Port: '465', Encryption: 'SSL', ...common },
      { Type: 'SMTP', Port: '587', Encryption: 'TLS', ...common },
    ]);
  });

  it('names WICKET_HOSTNAME and the public ports; accepts prefixed elements and the https schema name', async () => {
    const g = await startTestGateway(CUSTOM);
    const body = `<a:Autodiscover xmlns:a="${REQUEST_SCHEMA}"><a:Request><a:EMailAddress>bob@agents.example.com</a:EMailAddress>
      <a:AcceptableResponseSchema>${RESPONSE_SCHEMA.replace('http:', 'https:')}</a:AcceptableResponseSchema></a:Request></a:Autodiscover>`;
    const reply = await autodiscover(g, body);
    expect(reply.status).toBe(200);
    const protocols = parseXml(reply.body).Autodiscover.Response.Account.Protocol;
    expect(protocols.map((p: any) => [p.Type, p.Server, p.Port, p.Encryption])).toEqual([
      ['IMAP', 'imap.custom.example', '10993', 'SSL'],
      ['IMAP', 'imap.custom.example', '10143', 'TLS'],
      ['SMTP', 'imap.custom.example', '10465', 'SSL'],
      ['SMTP', 'imap.custom.example', '10587', 'TLS'],
    ]);
  });

  it('escapes what it echoes: an address with & and an apostrophe comes back intact', async () => {
    const g = await startTestGateway();
    const reply = await autodiscover(g, autodiscoverRequest("o'brien&amp;co@agents.example.com"));
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('<LoginName>o&apos;brien&amp;co@agents.example.com</LoginName>');
    expect(parseXml(reply.body).Autodiscover.Response.Account.Protocol[0].LoginName).toBe("o'brien&co@agents.example.com");
  });

  it.each([
    ['not XML', 'hello', 600, /not well-formed XML/],
    ['unclosed element', '<Autodiscover><Request><EMailAddress>a@agents.example.com</Request></Autodiscover>', 600, /not well-formed XML/],
    ['empty body', '', 600, /empty/],
    ['another root', '<Hello><Request><EMailAddress>a@agents.example.com</EMailAddress></Request></Hello>', 600, /expected <Autodiscover><Request>/],
    ['no address', `<Autodiscover xmlns="${REQUEST_SCHEMA}"><Request><AcceptableResponseSchema>${RESPONSE_SCHEMA}</AcceptableResponseSchema></Request></Autodiscover>`, 600, /needs one <EMailAddress>/],
    ['two addresses', '<Autodiscover><Request><EMailAddress>a@agents.example.com</EMailAddress><EMailAddress>b@agents.example.com</EMailAddress></Request></Autodiscover>', 600, /needs one <EMailAddress>/],
    ['a bad address', autodiscoverRequest('not an address'), 600, /^EMailAddress: invalid address: /],
    ['a DOCTYPE', `<!DOCTYPE x [<!ENTITY a "aaaa">]>${autodiscoverRequest('&a;@agents.example.com')}`, 600, /DOCTYPE is not allowed/],
    ['the ActiveSync schema', autodiscoverRequest('a@agents.example.com', 'http://schemas.microsoft.com/exchange/autodiscover/mobilesync/responseschema/2006'), 601, /not supported/],
  ])('%s: 400 with an Autodiscover Error', async (_, body, code, reason) => {
    const g = await startTestGateway();
    const reply = await autodiscover(g, body);
    expect(reply.status).toBe(400);
    expect(reply.headers['content-type']).toBe('application/xml; charset=utf-8');
    const error = parseXml(reply.body).Autodiscover.Response.Error;
    expect(error.ErrorCode).toBe(String(code));
    expect(error.Message).toBe(code === 600 ? 'Invalid Request' : 'Requested schema version not supported');
    expect(error.DebugData).toMatch(reason);
  });

  it('refuses a body over 64 KB with 413, whether Content-Length says so or a chunked body grows past it', async () => {
    const g = await startTestGateway();
    const big = autodiscoverRequest('a@agents.example.com').replace('<Request>', `<Request><!--${'x'.repeat(70 * 1024)}-->`);
    for (const chunked of [false, true]) {
      const reply = await http(g.ports.http, '/autodiscover/autodiscover.xml', { method: 'POST', body: big, chunked });
      expect(reply.status).toBe(413);
      expect(parseXml(reply.body).Autodiscover.Response.Error.DebugData).toBe('the request body is larger than 65536 bytes');
    }
    // Just under the limit is read.
    const fits = autodiscoverRequest('a@agents.example.com').replace('<Request>', `<Request><!--${'x'.repeat(60 * 1024)}-->`);
    expect((await autodiscover(g, fits)).status).toBe(200);
  });

  it('GET is 405 (Allow: POST) in the server JSON shape', async () => {
    const g = await startTestGateway();
    const reply = await http(g.ports.http, '/autodiscover/autodiscover.xml');
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe('POST');
    expect(JSON.parse(reply.body)).toEqual({ error: { type: 'method_not_allowed', message: 'GET is not allowed on /autodiscover/autodiscover.xml' } });
  });
});

describe('Apple configuration profile', () => {
  it('GET /apple/mobileconfig?email=: one com.apple.mail.managed payload, IMAP 993 and SMTP 465 over SSL, no password', async () => {
    const g = await startTestGateway();
    const sales = await g.account('sales', { name: 'Sales Agent' });
    const reply = await http(g.ports.http, `/apple/mobileconfig?email=${encodeURIComponent(sales.email)}`);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/x-apple-aspen-config');
    expect(reply.headers['content-disposition']).toBe('attachment; filename="sales@agents.example.com.mobileconfig"');
    const profile = parsePlist(reply.body) as any;
    expect(profile).toMatchObject({ PayloadType: 'Configuration', PayloadVersion: 1, PayloadDisplayName: 'Mail: sales@agents.example.com' });
    expect(profile.PayloadIdentifier).toMatch(/^test\.wicket\.mail\.wicket\.profile\./);
    expect(profile.PayloadContent).toHaveLength(1);
    const mail = profile.PayloadContent[0];
    expect(mail).toEqual({
      EmailAccountDescription: sales.email,
      EmailAccountType: 'EmailTypeIMAP',
      EmailAddress: sales.email,
      IncomingMailServerAuthentication: 'EmailAuthPassword',
      IncomingMailServerHostName: 'mail.wicket.test',
      IncomingMailServerPortNumber: 993,
      IncomingMailServerUseSSL: true,
      IncomingMailServerUsername: sales.email,
      OutgoingMailServerAuthentication: 'EmailAuthPassword',
      OutgoingMailServerHostName: 'mail.wicket.test',
      OutgoingMailServerPortNumber: 465,
      OutgoingMailServerUseSSL: true,
      OutgoingMailServerUsername: sales.email,
      OutgoingPasswordSameAsIncomingPassword: true,
      PayloadDescription: `IMAP and SMTP settings for ${sales.email}`,
      PayloadDisplayName: `Mail: ${sales.email}`,
      PayloadIdentifier: `test.wicket.mail.wicket.mail.${mail.PayloadUUID}`,
      PayloadType: 'com.apple.mail.managed',
      PayloadUUID: expect.stringMatching(/^[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/),
      PayloadVersion: 1,
    });
    expect(profile.PayloadUUID).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-5/);
    expect(profile.PayloadUUID).not.toBe(mail.PayloadUUID);
    // Downloading again gives the same profile (installing it again replaces the first).
    expect((await http(g.ports.http, `/apple/mobileconfig?email=${encodeURIComponent(sales.email)}`)).body).toBe(reply.body);
    // HEAD: the same headers, no body.
    const head = await http(g.ports.http, `/apple/mobileconfig?email=${encodeURIComponent(sales.email)}`, { method: 'HEAD' });
    expect({ status: head.status, body: head.body, length: head.headers['content-length'] }).toEqual({
      status: 200,
      body: '',
      length: reply.headers['content-length'],
    });
  });

  it('names WICKET_HOSTNAME and the public implicit-TLS ports', async () => {
    const g = await startTestGateway(CUSTOM);
    const mail = (parsePlist((await http(g.ports.http, '/apple/mobileconfig?email=bob%40agents.example.com')).body) as any).PayloadContent[0];
    expect(mail).toMatchObject({
      IncomingMailServerHostName: 'imap.custom.example',
      IncomingMailServerPortNumber: 10993,
      OutgoingMailServerHostName: 'imap.custom.example',
      OutgoingMailServerPortNumber: 10465,
    });
  });

  it('escapes the address in the plist and makes a safe file name', async () => {
    const g = await startTestGateway();
    const email = "o'brien&co/x@agents.example.com";
    const reply = await http(g.ports.http, `/apple/mobileconfig?email=${encodeURIComponent(email)}`);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-disposition']).toBe('attachment; filename="o_brien_co_x@agents.example.com.mobileconfig"');
    expect((parsePlist(reply.body) as any).PayloadContent[0].EmailAddress).toBe(email);
  });

  it.each([
    ['/apple/mobileconfig', 'give the address: /apple/mobileconfig?email=name@example.com'],
    ['/apple/mobileconfig?email=', 'give the address: /apple/mobileconfig?email=name@example.com'],
    ['/apple/mobileconfig?email=nobody', 'email: invalid address: "nobody" is not an email address (expected local-part@domain)'],
  ])('%s: 400', async (path, message) => {
    const g = await startTestGateway();
    const reply = await http(g.ports.http, path);
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body)).toEqual({ error: { type: 'invalid_request', message } });
  });
});

describe('nothing about accounts leaks', () => {
  it('an unknown address gets the same answers as an existing one; no password, hash, name or id anywhere', async () => {
    const g = await startTestGateway();
    const known = await g.account('known', { name: 'Very Secret Name' });
    const unknown = 'ghost@agents.example.com';
    const bodies = async (email: string) => ({
      autoconfig: (await http(g.ports.http, `/mail/config-v1.1.xml?emailaddress=${encodeURIComponent(email)}`)).body,
      wellKnown: (await http(g.ports.http, `/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=${encodeURIComponent(email)}`)).body,
      autodiscover: (await autodiscover(g, autodiscoverRequest(email))).body,
      mobileconfig: (await http(g.ports.http, `/apple/mobileconfig?email=${encodeURIComponent(email)}`)).body,
    });
    const a = await bodies(known.email);
    const b = await bodies(unknown);
    // Autoconfig never echoes the address: the very same bytes.
    expect(a.autoconfig).toBe(b.autoconfig);
    expect(a.wellKnown).toBe(b.wellKnown);
    // The others name the address they were asked about, and differ in nothing else.
    expect(a.autodiscover.replaceAll(known.email, 'X')).toBe(b.autodiscover.replaceAll(unknown, 'X'));
    const uuidless = (body: string, email: string) =>
      body.replaceAll(email, 'X').replace(/[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}/g, 'UUID');
    expect(uuidless(a.mobileconfig, known.email)).toBe(uuidless(b.mobileconfig, unknown));
    const hash = g.gateway.services.store.directory.getAccount(known.id)!.passwordHash!;
    for (const body of [...Object.values(a), ...Object.values(b)]) {
      expect(body).not.toContain(PASSWORD);
      expect(body).not.toContain(hash);
      expect(body).not.toContain('$2b$');
      expect(body).not.toContain('Very Secret Name');
      expect(body).not.toContain(known.id);
      expect(body).not.toMatch(/Password<\/key>\s*<string>/);
    }
  });

  it('the health routes and the JSON 404 still answer', async () => {
    const g = await startTestGateway();
    expect((await http(g.ports.http, '/healthz')).status).toBe(200);
    const missing = await http(g.ports.http, '/mail/nothing.xml');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toEqual({ error: { type: 'not_found', message: 'no route for /mail/nothing.xml' } });
  });
});
