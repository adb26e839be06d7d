import { createPublicKey, createSign, createVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dkimSelector, generateDkimKey } from '../../src/accounts/dkim.js';
import { dnsRecords, zoneLine } from '../../src/accounts/dns-records.js';
import type { Domain } from '../../src/store/types.js';

const domain: Domain = {
  id: 'd1',
  name: 'agents.example.com',
  dkimSelector: 'wicket202611',
  dkimPublicKey: 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA' + 'x'.repeat(300),
  ownershipToken: '0123456789abcdef0123456789abcdef',
  createdAt: 1,
  updatedAt: 1,
};

describe('DNS records to publish', () => {
  const records = dnsRecords(domain, 'mail.example.net');
  const byKey = Object.fromEntries(records.map((r) => [r.key, r]));

  it('lists MX, SPF, DKIM, DMARC, ownership, the RFC 6186 SRV records and autoconfig', () => {
    expect(records.map((r) => `${r.key} ${r.type} ${r.host}`)).toEqual([
      'mx MX agents.example.com',
      'spf TXT agents.example.com',
      'dkim TXT wicket202611._domainkey.agents.example.com',
      'dmarc TXT _dmarc.agents.example.com',
      'ownership TXT _wicket.agents.example.com',
      'srv_imaps SRV _imaps._tcp.agents.example.com',
      'srv_submissions SRV _submissions._tcp.agents.example.com',
      'srv_submission SRV _submission._tcp.agents.example.com',
      'autoconfig CNAME autoconfig.agents.example.com',
    ]);
    expect(records.filter((r) => r.required).map((r) => r.key)).toEqual(['mx', 'spf', 'dkim', 'ownership']);
  });

  it('points MX, SPF, SRV and autoconfig at WICKET_HOSTNAME', () => {
    expect(byKey.mx).toMatchObject({ value: 'mail.example.net', priority: 10 });
    expect(byKey.spf!.value).toBe('v=spf1 a:mail.example.net mx ~all');
    expect(byKey.srv_imaps!.value).toBe('0 1 993 mail.example.net');
    expect(byKey.srv_submissions!.value).toBe('0 1 465 mail.example.net');
    expect(byKey.srv_submission!.value).toBe('0 1 587 mail.example.net');
    expect(byKey.autoconfig!.value).toBe('mail.example.net');
  });

  it('publishes the DKIM public key and the ownership token', () => {
    expect(byKey.dkim!.value).toBe(`v=DKIM1; k=rsa; p=${domain.dkimPublicKey}`);
    expect(byKey.ownership!.value).toBe('wicket-verification=0123456789abcdef0123456789abcdef');
    expect(byKey.dmarc!.value).toMatch(/^v=DMARC1; p=/);
  });

  it('writes zone-file lines, splitting TXT data into strings of at most 255 octets', () => {
    expect(zoneLine(byKey.mx!)).toBe('agents.example.com. 3600 IN MX 10 mail.example.net.');
    expect(zoneLine(byKey.srv_imaps!)).toBe('_imaps._tcp.agents.example.com. 3600 IN SRV 0 1 993 mail.example.net.');
    const dkim = zoneLine(byKey.dkim!);
    const strings = [...dkim.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
    expect(strings.length).toBeGreaterThan(1);
    expect(strings.every((s) => s.length <= 255)).toBe(true);
    expect(strings.join('')).toBe(byKey.dkim!.value);
  });
});

describe('DKIM keys', () => {
  it('generates an RSA-2048 pair whose published key verifies what the private key signs', async () => {
    const key = await generateDkimKey(new Date(Date.UTC(2026, 10, 23)));
    expect(key.selector).toBe('wicket202611');
    const publicKey = createPublicKey({ key: Buffer.from(key.publicKey, 'base64'), format: 'der', type: 'spki' });
    expect(publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const signature = createSign('sha256').update('hello').sign(key.privateKeyPem);
    expect(createVerify('sha256').update('hello').verify(publicKey, signature)).toBe(true);
  });

  it('names the selector after the month', () => {
    expect(dkimSelector(new Date(Date.UTC(2027, 0, 5)))).toBe('wicket202701');
  });
});
