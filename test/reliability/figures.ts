// How the reliability suite reports: every test prints its figures ("figure: name = value
// unit") on standard output, where vitest shows them, and appends them to
// test/artifacts/reliability-figures.jsonl for review. RELIABILITY_SCALE=ci runs the bounded
// version CI can afford; anything else runs the full counts the issue names.
import { appendFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

export const CI = process.env.RELIABILITY_SCALE === 'ci';

/** The full count, or the bounded one under RELIABILITY_SCALE=ci. */
export const scaled = (full: number, ci: number): number => (CI ? ci : full);

const OUT = resolve(import.meta.dirname, '../artifacts/reliability-figures.jsonl');

export function figure(name: string, value: number | string, unit = ''): void {
  const line = `figure: ${name} = ${typeof value === 'number' ? value.toLocaleString('en') : value}${unit ? ` ${unit}` : ''}`;
  process.stdout.write(`${line}\n`);
  mkdirSync(resolve(OUT, '..'), { recursive: true });
  appendFileSync(OUT, `${JSON.stringify({ at: new Date().toISOString(), name, value, unit, scale: CI ? 'ci' : 'full' })}\n`);
}
