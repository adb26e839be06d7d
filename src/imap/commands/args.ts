// Small helpers commands use to take their arguments apart (the grammar lives in protocol/).
import { Bad } from '../errors.js';
import type { Token } from '../protocol/types.js';

/** Exactly `count` arguments, or BAD naming what the command takes. */
export function expectArgs(args: Token[], count: number, usage: string): void {
  if (args.length !== count) throw new Bad(`expected ${usage}`);
}

/** The text of an atom argument, upper-cased (keywords such as FLAGS, MESSAGES). */
export function atomUpper(token: Token | undefined, what: string): string {
  if (!token || token.kind !== 'atom') throw new Bad(`expected ${what}`);
  return token.value.toUpperCase();
}

export function list(token: Token | undefined, what: string): Token[] {
  if (!token || token.kind !== 'list') throw new Bad(`expected a parenthesized list of ${what}`);
  return token.items;
}
