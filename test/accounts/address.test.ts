import { describe, expect, it } from 'vitest';
import { parseAddress } from '../../src/accounts/address.js';
import { isValidHostname, normalizeDomain } from '../../src/accounts/hostname.js';

describe('account addresses', () => {
  it.each([
    ['sales@agents.example.com', 'sales@agents.example.com'],
    ['Sales.Agent@Agents.Example.COM', 'sales.agent@agents.example.com'],
    ['  padded@example.com ', 'padded@example.com'],
    ["o'brien+tag@example.com", "o'brien+tag@example.com"],
    ['a!#$%&*+-/=?^_`{|}~b@example.com', 'a!#$%&*+-/=?^_`{|}~b@example.com'],
    [`${'x'.repeat(64)}@example.com`, `${'x'.repeat(64)}@example.com`],
  ])('accepts %s', (input, email) => {
    const result = parseAddress(input);
    expect(result).toMatchObject({ ok: true, email });
  });

  it.each([
    ['', /empty/],
    ['no-at-sign', /not an email address/],
    ['@example.com', /not an email address/],
    ['user@', /not an email address/],
    ['a b@example.com', /spaces/],
    ['ünï@example.com', /non-ASCII/],
    ['line\nbreak@example.com', /control/],
    ['.lead@example.com', /leading, trailing or double dot/],
    ['trail.@example.com', /leading, trailing or double dot/],
    ['dou..ble@example.com', /leading, trailing or double dot/],
    ['"quoted"@example.com', /quoted local parts/],
    ['a(b)@example.com', /not allowed/],
    [`${'x'.repeat(65)}@example.com`, /longer than 64/],
    ['user@localhost', /two labels/],
    ['user@exa_mple.com', /not a valid domain/],
    ['user@-example.com', /not a valid domain/],
    ['user@1.2.3.4', /not a domain name/],
    [`${'u'.repeat(60)}@${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.com`, /longer than 254/],
  ])('refuses %j', (input, reason) => {
    const result = parseAddress(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});

describe('domain names', () => {
  it('normalizes case, trailing dot and internationalized names', () => {
    expect(normalizeDomain('Agents.Example.COM.')).toEqual({ ok: true, domain: 'agents.example.com' });
    expect(normalizeDomain('bücher.example')).toEqual({ ok: true, domain: 'xn--bcher-kva.example' });
  });

  it('refuses labels over 63 characters and names over 253', () => {
    expect(normalizeDomain(`${'a'.repeat(64)}.com`).ok).toBe(false);
    expect(normalizeDomain(`${'a'.repeat(63)}.com`).ok).toBe(true);
    expect(isValidHostname(`${'a.'.repeat(127)}a`)).toBe(false);
  });

  it('knows a host name from something else', () => {
    expect(isValidHostname('localhost')).toBe(true);
    expect(isValidHostname('mail.example.com')).toBe(true);
    expect(isValidHostname('mail example.com')).toBe(false);
    expect(isValidHostname('')).toBe(false);
  });
});
