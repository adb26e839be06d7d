// UNSELECT — RFC 3691: leaves the selected state like CLOSE, but expunges nothing.
import { noArguments, selected } from '../command.js';

export const unselect = selected({
  name: 'UNSELECT',
  parse: noArguments,
  async run(ctx) {
    ctx.unselect();
  },
});
