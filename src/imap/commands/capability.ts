// CAPABILITY — RFC 3501 §6.1.1 / RFC 9051 §6.1.1: any state; lists what the server can do now.
import { anyState, noArguments } from '../command.js';

export const capability = anyState({
  name: 'CAPABILITY',
  parse: noArguments,
  async run(ctx) {
    ctx.untagged('CAPABILITY', ...ctx.capabilities());
  },
});
