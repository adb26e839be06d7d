// The creation handshake (as the hosted service does it): GET <url>?challenge=X, and the
// endpoint must answer 200 with exactly X as the body within the deadline (10 s). Until it
// does, nothing is stored, so an address that is not a willing receiver never gets events.
import { randomBytes } from 'node:crypto';
import { ValidationError } from '../errors.js';
import type { DenyList } from './deny-list.js';
import { EndpointError, callEndpoint } from './http.js';

const seconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);

export async function verifyChallenge(url: URL, deny: DenyList, timeoutMs: number): Promise<void> {
  const challenge = randomBytes(16).toString('hex');
  const target = new URL(url);
  target.searchParams.set('challenge', challenge);
  const expectation = `it must answer GET ${url.origin}${url.pathname}?challenge=<value> with status 200 and the value as the body, within ${seconds(timeoutMs)}`;
  let answer;
  try {
    answer = await callEndpoint({ method: 'GET', url: target, timeoutMs, deny, maxBody: 4096 });
  } catch (err) {
    if (!(err instanceof EndpointError)) throw err;
    const problem =
      err.reason === 'timeout'
        ? `did not answer the challenge within ${seconds(timeoutMs)}`
        : err.reason === 'denied'
          ? err.message
          : `could not be reached (${err.message})`;
    throw new ValidationError('webhook_url', 'challenge', `webhook_url: the endpoint ${problem}; ${expectation}`);
  }
  if (answer.status !== 200) {
    throw new ValidationError('webhook_url', 'challenge', `webhook_url: the endpoint answered the challenge with status ${answer.status}; ${expectation}`);
  }
  if (answer.body.toString('utf8').trim() !== challenge) {
    throw new ValidationError('webhook_url', 'challenge', `webhook_url: the endpoint did not echo the challenge value; ${expectation}`);
  }
}
