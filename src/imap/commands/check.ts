// CHECK — RFC 3501 §6.4.1: a checkpoint. Every write is already committed and fsync'd, so it
// only reports pending updates, like NOOP.
import { noArguments, selected } from '../command.js';

export const check = selected({
  name: 'CHECK',
  parse: noArguments,
  async run() {},
});
