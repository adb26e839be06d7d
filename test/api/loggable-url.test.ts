// What the API's request log writes for a URL: tokens that open an account never, routes as they are.
import { describe, expect, it } from 'vitest';
import { loggableUrl } from '../../src/api/app.js';

describe('loggableUrl', () => {
  it('hides an invitation link token and a setup token, keeps the routes', () => {
    const token = 'q3V9bX0yZk1hR2tLcE5uVHd4c1JqY0FlSGk0Wm9QdUI';
    expect(loggableUrl(`/invite/${token}`)).toBe('/invite/[token]');
    expect(loggableUrl(`/invite/${token}?x=1`)).toBe('/invite/[token]?x=1');
    expect(loggableUrl('/invite/accept')).toBe('/invite/accept');
    expect(loggableUrl('/invite/accepted-token-lookalike')).toBe('/invite/[token]');
    expect(loggableUrl(`/dashboard/setup?token=${token}`)).toBe('/dashboard/setup?token=[token]');
    expect(loggableUrl(`/dashboard/setup?next=/x&token=${token}`)).toBe('/dashboard/setup?next=/x&token=[token]');
    expect(loggableUrl('/v3/grants?limit=5')).toBe('/v3/grants?limit=5');
  });
});
