// IDLE — RFC 2177: the server reports new mail, expunges and flag changes the moment they are
// committed, until the client sends DONE. Apple Mail sends DONE and its next command in one
// packet; the receiver hands them over one at a time, so both run.
import { authenticated, noArguments } from '../command.js';
import { Bad } from '../errors.js';

export const idle = authenticated({
  name: 'IDLE',
  parse: noArguments,
  async run(ctx) {
    const line = (await ctx.idle()).toString('latin1').trim();
    // RFC 2177 §3: anything but DONE ends IDLE with BAD; the session goes on.
    if (line.toUpperCase() !== 'DONE') throw new Bad(`expected DONE to end IDLE, got ${JSON.stringify(line.slice(0, 30))}`);
    return { text: 'IDLE terminated' };
  },
});
