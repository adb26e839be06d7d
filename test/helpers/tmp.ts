// A fresh temporary directory per test, removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { harvestSecrets } from './suite-ledger.js';

export function tempDir(prefix = 'wicket-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => {
    // The reliability suite's ledger keeps the secrets the directory held (DKIM keys, TOTP and
    // webhook secrets) for its search of every log line; without the ledger this does nothing.
    harvestSecrets(dir);
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}
