import { describe, expect, it } from 'vitest';
import { parseMimeTree } from '../../../src/mail/mime/parse.js';
import { bodyStructure, envelope } from '../../../src/mail/mime/structure.js';
import { corpus } from './corpus.js';
import { checkTree } from './helpers.js';

describe('MIME corpus: BODYSTRUCTURE, BODY and ENVELOPE (RFC 3501 §7.4.2)', () => {
  for (const entry of corpus) {
    describe(entry.name, () => {
      const root = parseMimeTree(entry.raw);

      it('parses into a well-formed tree', () => checkTree(entry.raw, root));
      it('BODYSTRUCTURE', () => expect(bodyStructure(entry.raw, root, true)).toEqual(entry.bodystructure));
      it('BODY', () => expect(bodyStructure(entry.raw, root, false)).toEqual(entry.body));
      it('ENVELOPE', () => expect(envelope(entry.raw, root)).toEqual(entry.envelope));
    });
  }
});
