// The whole gateway in this process, on 127.0.0.1 with OS-chosen ports and a fresh data
// directory, plus a domain and accounts to send with.
import { onTestFinished } from 'vitest';
import { type Gateway, type GatewayOptions, startGateway } from '../../src/main.js';
import type { Account } from '../../src/store/types.js';
import { testConfig } from './services.js';
import { suiteLogger, watchSecrets } from './suite-ledger.js';
import { tempDir } from './tmp.js';

export const PASSWORD = 'MySecureP4ssword!2024';

export const GATEWAY_ENV = {
  WICKET_BIND: '127.0.0.1',
  WICKET_HTTP_PORT: 'auto',
  WICKET_IMAP_PORT: 'auto',
  WICKET_IMAPS_PORT: 'auto',
  WICKET_SUBMISSION_PORT: 'auto',
  WICKET_SUBMISSIONS_PORT: 'auto',
  WICKET_MX_PORT: 'auto',
  WICKET_HOSTNAME: 'mail.wicket.test',
};

export interface TestGateway {
  dir: string;
  gateway: Gateway;
  ports: { submission: number; submissions: number; mx: number; http: number; imap: number; imaps: number };
  appId: string;
  /** Creates an account on agents.example.com (registered at start). */
  account(local: string, opts?: { name?: string; password?: string | null }): Promise<Account>;
}

export async function startTestGateway(env: Record<string, string> = {}, options: GatewayOptions = {}): Promise<TestGateway> {
  const dir = tempDir();
  const config = testConfig(dir, { ...GATEWAY_ENV, ...env });
  const gateway = await startGateway(config, suiteLogger(process.env.WICKET_TEST_LOG ? 'debug' : 'silent'), options);
  onTestFinished(() => gateway.close(0));
  const { services } = gateway;
  watchSecrets(services);
  await services.domains.add('agents.example.com');
  const appId = services.defaultApplication.id;
  return {
    dir,
    gateway,
    ports: gateway.ports as TestGateway['ports'],
    appId,
    account: (local, opts = {}) =>
      services.accounts.create(appId, {
        email: `${local}@agents.example.com`,
        name: opts.name,
        appPassword: opts.password === null ? undefined : (opts.password ?? PASSWORD),
      }),
  };
}

/** The messages of an account's folder, with their bytes. */
export function folderMessages(g: TestGateway, account: Account, folder: string): { uid: number; flags: string[]; raw: string }[] {
  const { store } = g.gateway.services;
  const box = store.mail.getMailbox(account.id, folder)!;
  return store.mail.listMessages(box.id).map((m) => ({ uid: m.uid, flags: m.flags, raw: store.mail.readMessage(m.id)!.toString('utf8') }));
}
