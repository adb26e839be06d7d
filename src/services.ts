// The services every surface calls (CLI, API, dashboard, IMAP, SMTP): one place per concern.
import { AccountService } from './accounts/accounts.js';
import { ApiKeyService } from './accounts/api-keys.js';
import { ApplicationService } from './accounts/applications.js';
import { Authenticator } from './accounts/authenticate.js';
import { type DnsLookup, createDnsLookup } from './accounts/dns-verify.js';
import { DomainService } from './accounts/domains.js';
import { MailboxService } from './accounts/mailboxes.js';
import { WorkspaceService } from './accounts/workspaces.js';
import { PolicyService } from './accounts/policies.js';
import { RuleService } from './accounts/rules.js';
import { ListService } from './accounts/lists.js';
import type { Config } from './config.js';
import { TeamService } from './dashboard/team.js';
import { QueueService } from './delivery/queue-service.js';
import type { Logger } from './log.js';
import { Metrics } from './metrics.js';
import type { Store } from './store/store.js';
import type { Application, Organization } from './store/types.js';
import { WebhookService } from './webhooks/service.js';

export interface Services {
  store: Store;
  organization: Organization;
  defaultApplication: Application;
  applications: ApplicationService;
  domains: DomainService;
  workspaces: WorkspaceService;
  policies: PolicyService;
  rules: RuleService;
  lists: ListService;
  accounts: AccountService;
  auth: Authenticator;
  mailboxes: MailboxService;
  queue: QueueService;
  apiKeys: ApiKeyService;
  webhooks: WebhookService;
  /** The dashboard's team members, sessions, MFA, invitations and activity log. */
  team: TeamService;
  /** This gateway's Prometheus registry and counters (GET /metrics). */
  metrics: Metrics;
}

export function createServices(store: Store, config: Config, log: Logger, lookup?: DnsLookup): Services {
  const applications = new ApplicationService(store);
  const metrics = new Metrics();
  metrics.watch(store.changes);
  const { organization, defaultApplication } = applications.bootstrap();
  const auth = new Authenticator(store, { bcryptCost: config.bcryptCost, throttle: config.auth }, (e) => {
    metrics.auth(e.protocol, e.result);
    // The address and the outcome are logged; the password never is.
    if (e.result === 'ok') log.info({ email: e.email, remote: e.remote }, 'login ok');
    else log.warn({ email: e.email, remote: e.remote, reason: e.result }, 'login failed');
  });
  // A reset or a deletion also drops the account's cached logins at once.
  store.changes.subscribe((change) => {
    if ((change.type === 'grant.updated' && change.passwordChanged) || change.type === 'grant.deleted') auth.forget(change.accountId);
  });
  return {
    store,
    organization,
    defaultApplication,
    applications,
    domains: new DomainService(
      store,
      { hostname: config.hostname, publicPorts: config.publicPorts },
      lookup ?? createDnsLookup(config.dns.servers, config.dns.timeoutMs),
    ),
    workspaces: new WorkspaceService(store),
    policies: new PolicyService(store),
    rules: new RuleService(store),
    lists: new ListService(store),
    accounts: new AccountService(store, { bcryptCost: config.bcryptCost }),
    auth,
    mailboxes: new MailboxService(store),
    queue: new QueueService(store, config, log.child({ component: 'queue' })),
    apiKeys: new ApiKeyService(store, config.auth),
    webhooks: new WebhookService(store, config.webhooks),
    team: new TeamService(store, { bcryptCost: config.bcryptCost, throttle: config.auth, log: log.child({ component: 'dashboard' }) }),
    metrics,
  };
}
