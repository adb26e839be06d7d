import { describe, expect, it } from 'vitest';
import { checkDisplayName } from '../../src/accounts/display-name.js';

describe('display names', () => {
  it.each(['S', 'Sales Agent', 'Ünïcødé Agent 🤖', 'x'.repeat(256), '🤖'.repeat(256)])('accepts %j', (name) => {
    expect(checkDisplayName(name)).toBeNull();
  });

  it.each([
    ['', 'length'],
    ['x'.repeat(257), 'length'],
    ['Sales\nAgent', 'line_break'],
    ['Sales\rAgent', 'line_break'],
    ['Sales\r\nBcc: victim@example.com', 'line_break'],
    ['Sales\tAgent', 'control'],
    ['Sales\u0000Agent', 'control'],
    ['Sales\u007fAgent', 'control'],
    ['Sales\u0085Agent', 'control'],
  ])('refuses %j (%s)', (name, rule) => {
    const problem = checkDisplayName(name);
    expect(problem?.rule).toBe(rule);
    expect(problem?.field).toBe('name');
  });
});
