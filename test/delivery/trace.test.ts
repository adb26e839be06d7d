import { describe, expect, it } from 'vitest';
import { type PeerInfo, receivedField, returnPathField } from '../../src/delivery/trace.js';

const DATE = 'Mon, 23 Nov 2026 15:52:20 +0000';
const TLS = { version: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384' };

function peer(overrides: Partial<PeerInfo> = {}): PeerInfo {
  return { address: '203.0.113.7', helo: 'client.example.org', protocol: 'ESMTP', tls: null, ...overrides };
}

const received = (p: PeerInfo, recipients: string[] = ['bob@example.net']) =>
  receivedField({ peer: p, hostname: 'mx.agents.example.com', id: 'Q7f3a9c', recipients, date: DATE });

describe('receivedField (RFC 5321 §4.4)', () => {
  it('names the single recipient with "for" and records the TLS version and cipher', () => {
    expect(received(peer({ protocol: 'ESMTPSA', tls: TLS }))).toBe(
      [
        'Received: from client.example.org ([203.0.113.7])',
        '\tby mx.agents.example.com (Wicket) with ESMTPSA id Q7f3a9c',
        '\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384)',
        `\tfor <bob@example.net>; ${DATE}`,
      ].join('\r\n'),
    );
  });

  it('leaves "for" out with two recipients, so Bcc recipients are not disclosed', () => {
    const field = received(peer(), ['bob@example.net', 'hidden@example.org']);
    expect(field).toBe(
      ['Received: from client.example.org ([203.0.113.7])', `\tby mx.agents.example.com (Wicket) with ESMTP id Q7f3a9c; ${DATE}`].join('\r\n'),
    );
  });

  it('ends the TLS comment line with the date when there is no "for"', () => {
    const field = received(peer({ protocol: 'ESMTPS', tls: TLS }), ['a@example.net', 'b@example.net']);
    expect(field).toBe(
      [
        'Received: from client.example.org ([203.0.113.7])',
        '\tby mx.agents.example.com (Wicket) with ESMTPS id Q7f3a9c',
        `\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384); ${DATE}`,
      ].join('\r\n'),
    );
  });

  it('writes an IPv6 peer as an IPv6 address literal (RFC 5321 §4.1.3)', () => {
    expect(received(peer({ address: '2001:db8::25' })).split('\r\n')[0]).toBe('Received: from client.example.org ([IPv6:2001:db8::25])');
  });

  it.each(['::ffff:192.0.2.1', '::FFFF:192.0.2.1'])('writes the IPv4-mapped peer %s as an IPv4 literal', (address) => {
    expect(received(peer({ address })).split('\r\n')[0]).toBe('Received: from client.example.org ([192.0.2.1])');
  });

  it('strips spaces and line breaks from the HELO name, so it cannot break the field', () => {
    const field = received(peer({ helo: 'evil host\r\nBcc: victim@example.org\r\n\r\nbody' }));
    expect(field.split('\r\n')[0]).toBe('Received: from evilhostBcc:victim@example.orgbody ([203.0.113.7])');
    // One field: every line after the first is a continuation line (RFC 5322 §2.2.3).
    expect(field.split('\r\n').slice(1).every((line) => line.startsWith('\t'))).toBe(true);
  });

  it('keeps at most 255 characters of the HELO name', () => {
    const field = received(peer({ helo: 'a'.repeat(300) }));
    expect(field.split('\r\n')[0]).toBe(`Received: from ${'a'.repeat(255)} ([203.0.113.7])`);
  });

  it.each([
    ['no HELO', null],
    ['an empty HELO', ''],
    ['a HELO of only spaces and control characters', ' \t\r\n\u0000'],
  ])('writes "unknown" for %s', (_label, helo) => {
    expect(received(peer({ helo })).split('\r\n')[0]).toBe('Received: from unknown ([203.0.113.7])');
  });
});

describe('returnPathField (RFC 5321 §4.4)', () => {
  it('writes the null reverse-path of a bounce as <>', () => {
    expect(returnPathField('')).toBe('Return-Path: <>');
  });

  it('writes the reverse path in angle brackets', () => {
    expect(returnPathField('agent@agents.example.com')).toBe('Return-Path: <agent@agents.example.com>');
  });
});
