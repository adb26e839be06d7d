import { describe, expect, it } from 'vitest';
import { parseMimeTree } from '../../../src/mail/mime/parse.js';
import { bodyStructure, envelope } from '../../../src/mail/mime/structure.js';
import { computeStructure } from '../../../src/mail/structure.js';
import { searchFields } from '../../../src/mail/search-fields.js';
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

describe('trace fields (Return-Path, Received) prepended on delivery', () => {
  // The pipeline stores the local copy of a submission with the Sent copy's structure and
  // search text when only trace fields tell them apart (src/delivery/pipeline.ts).
  for (const entry of corpus) {
    it(`leave ENVELOPE, BODYSTRUCTURE and the search text of "${entry.name}" as they were`, () => {
      const traced = Buffer.concat([
        Buffer.from('Return-Path: <sales@agents.example.com>\r\nReceived: from client ([127.0.0.1])\r\n\tby localhost (Wicket) with ESMTPSA id 1; Sun, 06 Dec 2026 05:48:23 +0000\r\n'),
        entry.raw,
      ]);
      // Only messages that have a header block at all keep it under the prepended fields.
      if (entry.raw.subarray(0, 2).toString() === '\r\n' || entry.raw[0] === 0x0a) return;
      expect(computeStructure(traced)).toEqual(computeStructure(entry.raw));
      expect(searchFields(traced)).toEqual(searchFields(entry.raw));
    });
  }
});
