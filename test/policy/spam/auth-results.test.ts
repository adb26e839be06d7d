import { Resolver } from 'node:dns/promises';
import DKIM from 'nodemailer/lib/dkim';
import { beforeAll, describe, expect, it } from 'vitest';
import { dkimRecordValue, type DkimKeyPair, generateDkimKey } from '../../../src/accounts/dkim.js';
import { AUTH_SCORES, authenticationTests, checkAuthentication, type SmtpPeer } from '../../../src/policy/spam/auth-results.js';
import { startFakeDns } from '../../helpers/dns-server.js';
import { FakeResolver, message } from './fake-resolver.js';

const SENDER_IP = '192.0.2.25';
const OTHER_IP = '203.0.113.9';
const peer = (ip = SENDER_IP, mailFrom = 'alice@example.com'): SmtpPeer => ({ ip, helo: 'mail.example.com', mailFrom });

const unsigned = message(
  [
    'From: Alice <alice@example.com>',
    'To: Bob <bob@example.org>',
    'Subject: Quarterly numbers',
    'Date: Mon, 7 Dec 2026 09:30:00 +0000',
    'Message-ID: <q4.numbers.1@example.com>',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
  ],
  'Hi Bob,\r\n\r\nThe numbers are in the shared folder.\r\n\r\nAlice\r\n',
);

let key: DkimKeyPair;
let signed: Buffer;

async function sign(raw: Buffer, domainName: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of new DKIM({ domainName, keySelector: key.selector, privateKey: key.privateKeyPem }).sign(raw)) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** example.com as it publishes itself: its DKIM key, SPF for SENDER_IP, DMARC p=reject. */
function published(spf = `v=spf1 ip4:${SENDER_IP} -all`): FakeResolver {
  return new FakeResolver()
    .txt(`${key.selector}._domainkey.example.com`, dkimRecordValue(key.publicKey))
    .txt('example.com', spf)
    .txt('_dmarc.example.com', 'v=DMARC1; p=reject; rua=mailto:dmarc@example.com');
}

beforeAll(async () => {
  // The key Wicket generates for its own domains (RFC 6376 §3.6.1 record), signed by nodemailer.
  key = await generateDkimKey();
  signed = await sign(unsigned, 'example.com');
  expect(signed.toString('latin1')).toMatch(/^DKIM-Signature: /);
});

describe('checkAuthentication', () => {
  it('passes a DKIM-signed message from a host its SPF names, and DMARC with it', async () => {
    const auth = await checkAuthentication(signed, peer(), published(), 1000);
    expect(auth).toMatchObject({ spf: 'pass', dkim: 'pass', dmarc: 'pass', dnsReachable: true });
    expect(auth.explanation.dkim).toContain('d=example.com pass');
    expect(authenticationTests(auth)).toEqual([]);
  });

  it('passes DKIM (and so DMARC) from a host SPF does not name: the signature is what aligns', async () => {
    const auth = await checkAuthentication(signed, peer(OTHER_IP), published(), 1000);
    expect(auth).toMatchObject({ spf: 'fail', dkim: 'pass', dmarc: 'pass' });
    expect(authenticationTests(auth).map((t) => [t.rule, t.score])).toEqual([['SPF_FAIL', 2.0]]);
  });

  it('fails DKIM when the body was changed after signing', async () => {
    const tampered = Buffer.from(signed.toString('latin1').replace('shared folder', 'attached invoice'), 'latin1');
    const auth = await checkAuthentication(tampered, peer(), published(), 1000);
    expect(auth).toMatchObject({ spf: 'pass', dkim: 'fail', dmarc: 'pass' });
    expect(auth.explanation.dkim).toContain('body hash did not verify');
    expect(authenticationTests(auth)).toEqual([{ rule: 'DKIM_FAIL', score: AUTH_SCORES.DKIM_FAIL, detail: auth.explanation.dkim }]);
  });

  it('fails DKIM when a signed header field was changed', async () => {
    const tampered = Buffer.from(signed.toString('latin1').replace('Subject: Quarterly numbers', 'Subject: Urgent wire transfer'), 'latin1');
    const auth = await checkAuthentication(tampered, peer(), published(), 1000);
    expect(auth.dkim).toBe('fail');
  });

  it('fails everything for a tampered message from another host, and scores each', async () => {
    const tampered = Buffer.from(signed.toString('latin1').replace('shared folder', 'attached invoice'), 'latin1');
    const auth = await checkAuthentication(tampered, peer(OTHER_IP), published(), 1000);
    expect(auth).toMatchObject({ spf: 'fail', dkim: 'fail', dmarc: 'fail', dnsReachable: true });
    expect(auth.explanation.dmarc).toContain('p=reject');
    expect(authenticationTests(auth).map((t) => [t.rule, t.score])).toEqual([
      ['SPF_FAIL', 2.0],
      ['DKIM_FAIL', 2.0],
      ['DMARC_FAIL', 2.5],
    ]);
  });

  it('fails DKIM when the key published is not the one that signed', async () => {
    const other = await generateDkimKey();
    const resolver = new FakeResolver()
      .txt(`${key.selector}._domainkey.example.com`, dkimRecordValue(other.publicKey))
      .txt('example.com', `v=spf1 ip4:${SENDER_IP} -all`);
    const auth = await checkAuthentication(signed, peer(), resolver, 1000);
    expect(auth.dkim).toBe('fail');
    expect(auth.explanation.dkim).toContain('bad signature');
  });

  it('reads SPF from the TXT record: pass, fail, softfail, neutral, none', async () => {
    const spf = async (record: string | null, ip: string) => {
      const resolver = record === null ? new FakeResolver() : new FakeResolver().txt('example.com', record);
      return (await checkAuthentication(unsigned, peer(ip), resolver, 1000)).spf;
    };
    expect(await spf(`v=spf1 ip4:${SENDER_IP} -all`, SENDER_IP)).toBe('pass');
    expect(await spf('v=spf1 ip4:192.0.2.0/24 -all', SENDER_IP)).toBe('pass');
    expect(await spf(`v=spf1 ip4:${SENDER_IP} -all`, OTHER_IP)).toBe('fail');
    expect(await spf(`v=spf1 ip4:${SENDER_IP} ~all`, OTHER_IP)).toBe('softfail');
    expect(await spf(`v=spf1 ip4:${SENDER_IP} ?all`, OTHER_IP)).toBe('neutral');
    expect(await spf(null, OTHER_IP)).toBe('none');
  });

  it('scores SPF softfail lower than fail, and an unsigned message as DKIM none', async () => {
    const auth = await checkAuthentication(unsigned, peer(OTHER_IP), new FakeResolver().txt('example.com', 'v=spf1 ~all'), 1000);
    expect(auth).toMatchObject({ spf: 'softfail', dkim: 'none', dmarc: 'none', dnsReachable: true });
    expect(authenticationTests(auth).map((t) => [t.rule, t.score])).toEqual([['SPF_SOFTFAIL', 1.0]]);
  });

  it('checks the HELO identity for the null reverse-path (RFC 7208 §2.4)', async () => {
    const resolver = new FakeResolver().txt('mail.example.com', `v=spf1 ip4:${SENDER_IP} -all`);
    const auth = await checkAuthentication(unsigned, peer(SENDER_IP, ''), resolver, 1000);
    expect(auth.spf).toBe('pass');
    expect(resolver.queries[0]).toEqual({ name: 'mail.example.com', rrtype: 'TXT' });
  });

  it('marks DNS unreachable when nothing answers, scores nothing, and waits one deadline only', async () => {
    const resolver = new FakeResolver('silent');
    const started = Date.now();
    const auth = await checkAuthentication(signed, peer(OTHER_IP), resolver, 150);
    expect(Date.now() - started).toBeLessThan(2 * 150);
    expect(auth).toMatchObject({ spf: 'temperror', dkim: 'temperror', dnsReachable: false });
    expect(['temperror', 'none']).toContain(auth.dmarc);
    expect(resolver.queries).toHaveLength(1);
    expect(authenticationTests(auth)).toEqual([]);
  });

  it('marks DNS unreachable when the server refuses, even where a result came out as a failure', async () => {
    const auth = await checkAuthentication(signed, peer(OTHER_IP), new FakeResolver('refused'), 150);
    expect(auth.dnsReachable).toBe(false);
    expect(authenticationTests({ ...auth, spf: 'fail', dkim: 'fail', dmarc: 'fail' })).toEqual([]);
  });

  it('works with a node:dns Resolver on configured servers, as the gateway builds it', async () => {
    const dns = await startFakeDns([{ type: 'TXT', name: 'example.com', data: `v=spf1 ip4:${SENDER_IP} -all` }]);
    const resolver = new Resolver({ timeout: 1000, tries: 1 });
    resolver.setServers([dns.server]);
    const auth = await checkAuthentication(unsigned, peer(), resolver, 1000);
    expect(auth).toMatchObject({ spf: 'pass', dkim: 'none', dmarc: 'none', dnsReachable: true });

    dns.silent.add('example.com');
    const silent = await checkAuthentication(unsigned, peer(), resolver, 300);
    expect(silent).toMatchObject({ spf: 'temperror', dnsReachable: false });
  });
});
