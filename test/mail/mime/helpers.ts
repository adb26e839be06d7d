// Shared by the MIME tests: building messages line by line, writing ImapValues the way they
// appear on the wire (to compare with transcripts from other servers), and the tree invariants.
import { expect } from 'vitest';
import type { ImapValue } from '../../../src/imap/protocol/types.js';
import type { MimeNode } from '../../../src/mail/mime/types.js';

/** The lines joined with CRLF (or `eol`); end the list with '' for a final line break. */
export function message(lines: string[], eol = '\r\n'): Buffer {
  return Buffer.from(lines.join(eol), 'utf8');
}

/** An ImapValue as IMAP text, every string quoted (enough to compare with a transcript). */
export function wire(value: ImapValue): string {
  if (value === null) return 'NIL';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `"${value.replace(/[\\"]/g, '\\$&')}"`;
  if (Array.isArray(value)) return `(${value.map(wire).join(' ')})`;
  return value.atom;
}

/** Dovecot writes `)(` between list items; ours has a space. */
export function normalizeTranscript(text: string): string {
  return text.replace(/\)\(/g, ') (');
}

/**
 * What every tree must satisfy: offsets ordered and inside the parent, siblings in order, and
 * the type tells the shape (multipart ≥ 1 child, message/rfc822|global exactly 1, else none).
 */
export function checkTree(raw: Buffer, root: MimeNode): void {
  expect(root.start).toBe(0);
  expect(root.end).toBe(raw.length);
  const visit = (node: MimeNode, low: number, high: number): void => {
    const ok = low <= node.start && node.start <= node.bodyStart && node.bodyStart <= node.end && node.end <= high;
    if (!ok) throw new Error(`offsets out of order: ${JSON.stringify({ low, high, node: { ...node, children: node.children.length } })}`);
    const { type, subtype } = node.contentType;
    if (type === 'multipart') expect(node.children.length).toBeGreaterThan(0);
    else if (type === 'message' && (subtype === 'rfc822' || subtype === 'global')) {
      expect(node.children).toHaveLength(1);
      expect(node.children[0]!.start).toBe(node.bodyStart);
      expect(node.children[0]!.end).toBe(node.end);
    } else expect(node.children).toHaveLength(0);
    let previousEnd = node.bodyStart;
    for (const child of node.children) {
      visit(child, previousEnd, node.end);
      previousEnd = child.end;
    }
  };
  visit(root, 0, raw.length);
}

/** Every part path of the tree, as section() numbers them (for the fuzz tests). */
export function partPaths(root: MimeNode): number[][] {
  const paths: number[][] = [];
  const walk = (node: MimeNode, path: number[], isMessage: boolean): void => {
    const scope = !isMessage && node.contentType.type === 'message' && node.children[0] ? node.children[0] : node;
    const atMessage = isMessage || scope !== node;
    if (scope.contentType.type === 'multipart') {
      scope.children.forEach((child, i) => {
        paths.push([...path, i + 1]);
        walk(child, [...path, i + 1], false);
      });
    } else if (atMessage) {
      paths.push([...path, 1]);
      if (scope.children[0]) walk(scope, [...path, 1], false);
    }
  };
  walk(root, [], true);
  return paths;
}
