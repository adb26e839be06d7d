// LOGOUT — RFC 3501 §6.1.3: `* BYE`, then the tagged OK, then the server closes.
import { anyState, noArguments } from '../command.js';

export const logout = anyState({
  name: 'LOGOUT',
  parse: noArguments,
  async run(ctx) {
    ctx.untagged('BYE Wicket logging out');
    ctx.logout();
    return { text: 'LOGOUT completed' };
  },
});
