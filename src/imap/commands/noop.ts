// NOOP — RFC 3501 §6.1.2: does nothing; the session sends pending updates (EXISTS, EXPUNGE,
// FETCH FLAGS) before the tagged OK, which is what clients poll it for.
import { anyState, noArguments } from '../command.js';

export const noop = anyState({
  name: 'NOOP',
  read: true,
  parse: noArguments,
  async run() {},
});
