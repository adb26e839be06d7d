// The IMAP FETCH data computed once when a message is stored: ENVELOPE, BODY, BODYSTRUCTURE.
import type { MessageStructure } from '../store/types.js';
import { parseMimeTree } from './mime/parse.js';
import { bodyStructure, envelope } from './mime/structure.js';

export function computeStructure(raw: Buffer): MessageStructure {
  const root = parseMimeTree(raw);
  return {
    envelope: envelope(raw, root),
    body: bodyStructure(raw, root, false),
    bodyStructure: bodyStructure(raw, root, true),
  };
}
