// The reliability suite's global setup: a fresh ledger directory for the whole run (every log
// line and every secret of every test file; see test/helpers/suite-ledger.ts), removed at the
// end unless RELIABILITY_KEEP_LEDGER is set (then its path is printed, to look at by hand).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LEDGER_ENV } from '../helpers/suite-ledger.js';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'wicket-ledger-'));
  // Set before the test workers start, so they (and the servers they spawn) inherit it.
  process.env[LEDGER_ENV] = dir;
  return () => {
    if (process.env.RELIABILITY_KEEP_LEDGER) process.stdout.write(`reliability ledger kept in ${dir}\n`);
    else rmSync(dir, { recursive: true, force: true });
  };
}
