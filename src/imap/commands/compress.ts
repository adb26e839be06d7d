// COMPRESS DEFLATE — RFC 4978: raw DEFLATE in both directions from the byte after the tagged
// OK, with a full flush after every batch of responses.
import { authenticated } from '../command.js';
import { Bad, No } from '../errors.js';
import { atomUpper, expectArgs } from './args.js';

export const compress = authenticated({
  name: 'COMPRESS',
  parse(args) {
    expectArgs(args, 1, 'COMPRESS DEFLATE');
    const algorithm = atomUpper(args[0], 'a compression algorithm');
    if (algorithm !== 'DEFLATE') throw new Bad(`unknown compression algorithm ${algorithm.slice(0, 20)}; use DEFLATE`);
    return algorithm;
  },
  async run(ctx) {
    if (!ctx.capabilities().includes('COMPRESS=DEFLATE')) throw new No('COMPRESSIONACTIVE', 'compression is already active');
    ctx.startCompression();
    return { text: 'DEFLATE active' };
  },
});
