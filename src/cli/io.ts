// Terminal I/O for the CLI: exit codes, JSON and human output, confirmation prompts and
// secrets read from standard input.
import { createInterface } from 'node:readline';

/** Exit 2: the command line itself is wrong (PRODUCT.md CLI: 0 success, 1 failure, 2 usage). */
export class UsageError extends Error {}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function print(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** Left-aligned columns, two spaces apart. */
export function printTable(headers: string[], rows: string[][]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  print(line(headers));
  for (const row of rows) print(line(row));
}

/** Labelled fields, aligned. */
export function printFields(fields: [string, string][], indent = '  '): void {
  const width = Math.max(...fields.map(([k]) => k.length)) + 1;
  for (const [key, value] of fields) print(`${indent}${`${key}:`.padEnd(width)} ${value}`);
}

export const isoTime = (seconds: number | null): string => (seconds === null ? '-' : new Date(seconds * 1000).toISOString());

/**
 * Asks before a destructive action. With `--yes` there is no question; without a terminal
 * on standard input the action is refused rather than taken silently.
 */
export async function confirm(action: string, yes: boolean | undefined): Promise<void> {
  if (yes) return;
  if (!process.stdin.isTTY) {
    throw new UsageError(`refusing to ${action} without --yes (standard input is not a terminal)`);
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const question = `${action.charAt(0).toUpperCase()}${action.slice(1)}?`;
  const answer = await new Promise<string>((resolve) => rl.question(`${question} [y/N] `, resolve));
  rl.close();
  if (!/^y(es)?$/i.test(answer.trim())) throw new CancelledError('cancelled');
}

export class CancelledError extends Error {}

/**
 * Reads a secret for `--app-password -`: from a pipe or file, everything up to end of input
 * minus one trailing line break; from a terminal, one line typed without echo.
 */
export async function readSecret(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (stdin.isTTY) {
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    const secret = await new Promise<string>((resolve, reject) => {
      let typed = '';
      const onData = (chunk: Buffer) => {
        for (const char of chunk.toString('utf8')) {
          if (char === '\r' || char === '\n') return finish(() => resolve(typed));
          if (char === '\u0003') return finish(() => reject(new CancelledError('cancelled')));
          if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
          else typed += char;
        }
      };
      const finish = (done: () => void) => {
        stdin.off('data', onData);
        stdin.setRawMode(false);
        stdin.pause();
        process.stderr.write('\n');
        done();
      };
      stdin.on('data', onData);
    });
    return secret;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}
