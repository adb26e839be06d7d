// A store and the services on it, in a fresh data directory, as the server would build them.
import { onTestFinished } from 'vitest';
import { type Services, createServices } from '../../src/services.js';
import type { DnsLookup } from '../../src/accounts/dns-verify.js';
import { type Config, loadConfig } from '../../src/config.js';
import { ChangeBus } from '../../src/store/changes.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import type { Change } from '../../src/store/types.js';
import { suiteLogger, watchSecrets } from './suite-ledger.js';
import { tempDir } from './tmp.js';

/** Fast bcrypt and no failure delays, unless a test asks otherwise. */
export function testConfig(dataDir: string, env: Record<string, string> = {}): Config {
  return loadConfig(
    {
      WICKET_DATA_DIR: dataDir,
      WICKET_CERTS_DIR: `${dataDir}/certs`,
      WICKET_BCRYPT_COST: '4',
      WICKET_AUTH_FAILURE_DELAY_MS: '0',
      WICKET_LOG_LEVEL: 'silent',
      ...env,
    },
    dataDir,
  );
}

export interface TestWorld {
  dir: string;
  config: Config;
  store: Store;
  services: Services;
  /** Every change published on the bus, in order. */
  changes: Change[];
  appId: string;
}

export function openWorld(opts: { env?: Record<string, string>; lookup?: DnsLookup; dir?: string } = {}): TestWorld {
  const dir = opts.dir ?? tempDir();
  const config = testConfig(dir, opts.env);
  const bus = new ChangeBus();
  const changes: Change[] = [];
  bus.subscribe((c) => changes.push(c));
  const store = openStore(config.dataDir, bus);
  onTestFinished(() => store.close());
  const services = createServices(store, config, suiteLogger('silent'), opts.lookup);
  watchSecrets(services);
  return { dir, config, store, services, changes, appId: services.defaultApplication.id };
}

export const GOOD_PASSWORD = 'MySecureP4ssword!2024';
