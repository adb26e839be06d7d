// The store, behind a narrow interface named in mail terms (ARCHITECTURE.md principle 6).
// Callers never see SQL: a PostgreSQL backend can implement these interfaces without a change
// to the services or surfaces. Every write runs in one transaction; the changes it made are
// written to the events outbox inside that transaction and published on the change bus only
// after the commit, so listeners see exactly what was stored.
import type { ChangeBus } from './changes.js';
import type {
  Account,
  ApiKey,
  AccountPatch,
  Application,
  ClaimedEntry,
  DeliveryReceipt,
  DkimKey,
  Domain,
  FilterResult,
  FlagIndex,
  FlagOperation,
  FlagUpdateResult,
  Folder,
  MessageFilter,
  MessagePosition,
  MessageQuery,
  MessageRecord,
  MessageSearchText,
  MessageStructure,
  NewAccount,
  NewApiKey,
  NewDelivery,
  NewDomain,
  NewFolder,
  NewMessage,
  NewWorkspace,
  Organization,
  OutboxEvent,
  QueueEntry,
  QueueStatus,
  RecordCheck,
  Seconds,
  SpecialUse,
  StoreStats,
  Workspace,
  WorkspacePatch,
  ClaimedWebhookDelivery,
  NewWebhook,
  NewWebhookDelivery,
  Webhook,
  WebhookDelivery,
  WebhookPatch,
} from './types.js';
import type { List, ListItem, Policy, Rule, RuleEvaluation } from '../policy/types.js';

export interface Page {
  limit: number;
  offset: number;
}

/** Organization, applications, domains, workspaces and accounts. */
export interface DirectoryStore {
  /** The organization; created on first use with the given defaults. */
  ensureOrganization(defaults: Omit<Organization, 'createdAt' | 'updatedAt'>): Organization;

  listApplications(): Application[];
  getApplication(id: string): Application | undefined;
  findApplicationByName(name: string): Application | undefined;
  /** Creates the application together with its default workspace. */
  createApplication(app: Omit<Application, 'createdAt' | 'updatedAt'>, defaultWorkspace: NewWorkspace): Application;
  /** Deletes the application with its workspaces, accounts and their mail. */
  deleteApplication(id: string): { accounts: number };

  createDomain(domain: NewDomain): Domain;
  listDomains(): Domain[];
  getDomain(id: string): Domain | undefined;
  findDomainByName(name: string): Domain | undefined;
  dkimKey(domainName: string): DkimKey | undefined;
  saveRecordChecks(domainId: string, checks: RecordCheck[]): void;
  recordChecks(domainId: string): RecordCheck[];
  countAccountsOnDomain(domainId: string): number;
  /** Deletes the domain and every account on it (with their mail). */
  deleteDomain(id: string): { accounts: number };

  createWorkspace(workspace: NewWorkspace): Workspace;
  listWorkspaces(applicationId: string): Workspace[];
  getWorkspace(id: string): Workspace | undefined;
  findWorkspaceByName(applicationId: string, name: string): Workspace | undefined;
  defaultWorkspace(applicationId: string): Workspace;
  autoGroupWorkspace(applicationId: string, domain: string): Workspace | undefined;
  countAccountsInWorkspace(workspaceId: string): number;
  /** Changes a workspace's name, policy, rules or auto-grouping. */
  updateWorkspace(id: string, patch: WorkspacePatch): Workspace;
  /** Deletes a non-default workspace, moving its accounts to the application's default one. */
  deleteWorkspace(id: string): { moved: number };

  /** Creates the account and its folders in one transaction. */
  createAccount(account: NewAccount, folders: NewFolder[]): Account;
  listAccounts(applicationId: string, page?: Page): Account[];
  countAccounts(applicationId: string): number;
  /** Accounts whose address or display name contains `text` (case-insensitive), in list order. */
  searchAccounts(applicationId: string, text: string, page?: Page): Account[];
  countAccountsMatching(applicationId: string, text: string): number;
  getAccount(id: string): Account | undefined;
  /** Looks an address up across all applications (addresses are unique installation-wide). */
  findAccountByEmail(email: string): Account | undefined;
  updateAccount(id: string, patch: AccountPatch): Account;
  /** Deletes the account and all its mail. */
  deleteAccount(id: string): boolean;
}

/**
 * Folders and messages of one account at a time. Every method takes the account, and a folder
 * or message of another account is "not found": no call can reach across accounts.
 */
export interface MailStore {
  listMailboxes(accountId: string): Folder[];
  getMailbox(accountId: string, name: string): Folder | undefined;
  getMailboxById(accountId: string, folderId: number): Folder | undefined;
  /** Creates a folder (or revives a \Noselect placeholder) with a new UIDVALIDITY. */
  createMailbox(accountId: string, name: string, specialUse?: SpecialUse | null): Folder;
  /** Deletes a folder and its messages; with `keepAsPlaceholder` the name stays as \Noselect. */
  deleteMailbox(accountId: string, folderId: number, keepAsPlaceholder: boolean): void;
  /** Renames a folder and every folder below it. */
  renameMailbox(accountId: string, folderId: number, newName: string): void;
  /**
   * The account's subscription list (RFC 3501 §6.3.6): names, kept apart from the folders so a
   * subscription outlives the mailbox's deletion. Renames carry subscriptions along.
   */
  listSubscriptions(accountId: string): string[];
  setSubscribed(accountId: string, name: string, subscribed: boolean): void;

  /** Appends a message: next UID of the folder, next MODSEQ, flags and internal date. */
  appendMessage(accountId: string, folderId: number, message: NewMessage): MessageRecord;
  /**
   * Stores one arriving message — every mailbox copy and every outbound queue entry — in
   * one transaction: when this returns, all of it is committed and fsync'd, or none of it is.
   */
  deliver(delivery: NewDelivery): DeliveryReceipt;
  /** Counts for STATUS, without reading messages one by one. */
  mailboxStatus(folderId: number): { messages: number; recent: number; unseen: number; size: number };
  /** Every message of a folder, by UID, without bodies. */
  listMessages(folderId: number): MessageRecord[];
  /** The given messages, in UID order; with `changedSince`, only those with a greater MODSEQ. */
  getMessages(folderId: number, uids: readonly number[], changedSince?: number): MessageRecord[];
  /**
   * What SELECT needs to open a folder, from the index alone (no message records built):
   * every UID ascending, the UIDs still \Recent, the first UID without \Seen, and the keywords
   * in use.
   */
  mailboxIndex(folderId: number): { uids: readonly number[]; recent: number[]; firstUnseen: number | null; keywords: string[] };
  /**
   * UIDs, MODSEQs and flags (with \\Recent) of the messages with UIDs from `low` to `high` —
   * with `changedSince`, only those with a greater MODSEQ — and their internal dates and sizes
   * when asked: FETCH of index items over a whole folder, column by column.
   */
  flagIndex(folderId: number, low: number, high: number, opts?: { changedSince?: number | undefined; dates?: boolean; sizes?: boolean }): FlagIndex;
  /** SEARCH from the index: the messages up to `maxUid` that match, without reading them. */
  searchFolder(folderId: number, filter: MessageFilter, maxUid: number, wantModseq: boolean): FilterResult;
  /** Messages stored before their SEARCH header text was kept, oldest first, with their bytes. */
  messagesWithoutSearchText(limit: number): { id: number; raw: Buffer }[];
  /** Stores the SEARCH header text computed for those messages. */
  setSearchText(entries: readonly { id: number; search: MessageSearchText }[]): void;
  /**
   * UIDs of up to `limit` messages of the folder whose internal date is before `before`, oldest
   * first (internal date, then row): what retention removes, found from the date index.
   */
  uidsOlderThan(folderId: number, before: Date, limit: number): number[];
  /** Messages whose MODSEQ is greater than `modseq`, by UID (RFC 7162 CHANGEDSINCE, QRESYNC). */
  changedSince(folderId: number, modseq: number): MessageRecord[];
  /** The message's bytes exactly as stored. */
  readMessage(messageId: number): Buffer | undefined;
  /** ENVELOPE, BODY and BODYSTRUCTURE as computed when the message was stored. */
  messageStructure(messageId: number): MessageStructure | undefined;
  /** Stores a structure computed later (messages stored before structures were computed). */
  setStructure(messageId: number, structure: MessageStructure): void;
  /** STORE: one new MODSEQ for everything changed; UNCHANGEDSINCE conflicts are left alone. */
  setFlags(
    accountId: string,
    folderId: number,
    uids: readonly number[],
    op: FlagOperation,
    flags: readonly string[],
    unchangedSince?: number,
  ): FlagUpdateResult;
  /** Removes the messages flagged \Deleted (all, or those among `uids`); returns their UIDs. */
  expunge(accountId: string, folderId: number, uids?: readonly number[]): number[];
  /** Removes the given messages whatever their flags (MOVE, INBOX rename); returns their UIDs. */
  removeMessages(accountId: string, folderId: number, uids: readonly number[]): number[];
  /** Copies messages (flags and internal date kept, bodies shared); returns old → new UIDs. */
  copyMessages(accountId: string, fromFolderId: number, uids: readonly number[], toFolderId: number): { from: number; to: number }[];
  /** The newest message of a folder with this Message-ID stored at or after `since` (Unix seconds). */
  findByMessageId(folderId: number, messageId: string, since: number): MessageRecord | undefined;
  /** UIDs expunged from the folder after this MODSEQ (RFC 7162 QRESYNC VANISHED (EARLIER)). */
  expungedSince(folderId: number, modseq: number): number[];
  /** MOVE (RFC 6851): copy and remove in one transaction; returns old → new UIDs. */
  moveMessages(accountId: string, fromFolderId: number, uids: readonly number[], toFolderId: number): { from: number; to: number }[];
  /** Takes the IMAP4rev1 \Recent flag off (all, or the given UIDs); returns what this caller got. */
  claimRecent(folderId: number, uids?: readonly number[]): number[];

  /** A message of the account by its row id (what change events name). */
  getMessage(accountId: string, messageId: number): MessageRecord | undefined;
  /** A message of the account by its REST API id, which survives moves. */
  getMessageByPublicId(accountId: string, publicId: string): MessageRecord | undefined;
  /**
   * The account's messages matching `query`, newest first — internal date, then row id, both
   * descending — strictly after `after` in that order (a page boundary), at most `limit`.
   */
  queryMessages(accountId: string, query: MessageQuery, after: MessagePosition | null, limit: number): MessageRecord[];
}

export interface QueueFilter {
  /** Default: everything not yet delivered (queued, held, sending, failed). */
  statuses?: QueueStatus[];
}

/** The durable outbound queue: one entry per remote recipient. */
export interface QueueStore {
  list(filter?: QueueFilter): QueueEntry[];
  get(id: string): QueueEntry | undefined;
  /**
   * Takes up to `limit` entries that are due (or whose claim was last renewed longer than the
   * lease ago, i.e. its worker died) and marks them 'sending'; returns them with their bytes.
   */
  claim(now: number, limit: number, leaseSeconds: number): ClaimedEntry[];
  /** The worker sending these entries is alive: their claims start a new lease at `now`. */
  renew(ids: readonly string[], now: number): void;
  /** When the next queued entry falls due, or null. */
  nextDueAt(): number | null;
  /** Delivered; a success report (NOTIFY=SUCCESS), if any, is stored in the same transaction. */
  delivered(id: string, response: string, report: NewDelivery | null): void;
  deferred(id: string, error: string, nextAttemptAt: number): void;
  /**
   * A permanent failure (`rejected`: the recipient's server refused it — message.bounced) or a
   * give-up (`expired`: retries ran out — message.send_failed); its bounce report (if any) is
   * stored in the same transaction.
   */
  failed(id: string, error: string, bounce: NewDelivery | null, cause?: 'rejected' | 'expired'): void;
  /** Makes the named entries (held, queued or failed), or all held and queued ones, due now. */
  retry(ids: string[] | 'all', now: number): number;
  /** Makes every queued (not held) entry due now; returns how many. */
  expedite(now: number): number;
  remove(id: string): QueueEntry;
}

/** REST API keys of each application, looked up by the hash of the presented key. */
export interface ApiKeyStore {
  create(key: NewApiKey): ApiKey;
  list(applicationId: string): ApiKey[];
  findByHash(hash: string): ApiKey | undefined;
  /** Marks the key revoked (it stays listed); undefined when the application has no such key. */
  revoke(applicationId: string, id: string): ApiKey | undefined;
  /** Records a use (coarsely: not more than once a minute). */
  touch(id: string, at: number): void;
}

export interface EventOutbox {
  /** This process's mark on the events it writes. */
  readonly origin: string;
  /** Events after the given id, oldest first. */
  listAfter(afterId: number, limit: number): OutboxEvent[];
  /** The newest event's id (0 when there is none). */
  lastId(): number;
}

/**
 * Webhooks of each application and their durable deliveries. The sender fans each event of
 * the outbox out to the matching webhooks in one transaction that also advances its cursor,
 * so an event is neither lost nor fanned out twice, whatever process or restart intervenes.
 */
export interface WebhookStore {
  /** A webhook hears only of events written after it was created. */
  create(webhook: NewWebhook): Webhook;
  list(applicationId: string): Webhook[];
  /** Undefined when the application has no such webhook. */
  get(applicationId: string, id: string): Webhook | undefined;
  update(applicationId: string, id: string, patch: WebhookPatch): Webhook | undefined;
  /** Deletes the webhook and its deliveries. */
  delete(applicationId: string, id: string): boolean;
  setSecret(applicationId: string, id: string, secret: string): Webhook | undefined;
  /**
   * Every webhook that hears of events (not paused), oldest first, each with the last event
   * written before it was made: it hears of the later ones only.
   */
  listening(): { webhook: Webhook; sinceEventId: number }[];

  /** The id of the last event fanned out. */
  cursor(): number;
  /**
   * Stores the deliveries and moves the cursor from `from` to `to`, in one transaction; false
   * (nothing stored) when the cursor is no longer at `from` (another sender got there first).
   */
  enqueue(from: number, to: number, deliveries: NewWebhookDelivery[], nowMs: number): boolean;
  /**
   * Takes up to `limit` due deliveries for `leaseMs` (a dead sender's claims come due again):
   * the oldest due one of each webhook that is not paused and not in `busy`.
   */
  claimDue(nowMs: number, limit: number, leaseMs: number, busy?: readonly string[]): ClaimedWebhookDelivery[];
  /** When the next pending delivery falls due (ms), or null. */
  nextDueAt(): number | null;
  /** A claimed delivery goes back untried (the sender is stopping). */
  release(deliveryId: string, nowMs: number): void;
  /** Delivered: the webhook is active again. */
  delivered(deliveryId: string, attempts: number): void;
  /** A failed attempt to retry at `nextAttemptAt`: the webhook is failing. */
  deferred(deliveryId: string, attempts: number, error: string, nextAttemptAt: number): void;
  /** Given up (or refused for good): the webhook is failed, or failing when `giveUp` is false. */
  failed(deliveryId: string, attempts: number, error: string, giveUp: boolean): void;
  /** The webhook's deliveries, newest first. */
  deliveries(webhookId: string, limit: number): WebhookDelivery[];
  /** Deliveries counted by status, per webhook of the application. */
  pendingCounts(applicationId: string): Map<string, number>;
  /**
   * Removes finished deliveries older than the given times, and events already fanned out
   * that are older than `eventsBefore` (Unix seconds each).
   */
  prune(before: { delivered: number; failed: number; events: number }): { deliveries: number; events: number };
}

export type NewPolicy = Omit<Policy, 'createdAt' | 'updatedAt'>;
export type NewRule = Omit<Rule, 'createdAt' | 'updatedAt'>;
export type NewList = Omit<List, 'createdAt' | 'updatedAt' | 'itemsCount'>;
export type NewEvaluation = RuleEvaluation;

/**
 * Policies, rules and lists of each application (a call names the application, and another
 * application's object is "not found"), the audit trail of rule evaluations, and the per-account
 * figures the limits are checked against.
 */
export interface GovernanceStore {
  createPolicy(policy: NewPolicy): Policy;
  listPolicies(applicationId: string): Policy[];
  getPolicy(applicationId: string, id: string): Policy | undefined;
  /** Stores the policy's name, limits and spam settings as given (the service merged them). */
  updatePolicy(policy: Policy): Policy;
  deletePolicy(applicationId: string, id: string): boolean;

  createRule(rule: NewRule): Rule;
  /** By priority, then age. */
  listRules(applicationId: string): Rule[];
  getRule(applicationId: string, id: string): Rule | undefined;
  rulesByIds(applicationId: string, ids: readonly string[]): Rule[];
  updateRule(rule: Rule): Rule;
  /** Deletes the rule and takes it off every workspace that named it, in one transaction. */
  deleteRule(applicationId: string, id: string): { deleted: boolean; detachedFrom: number };

  createList(list: NewList): List;
  listLists(applicationId: string): List[];
  getList(applicationId: string, id: string): List | undefined;
  updateList(list: Pick<List, 'id' | 'applicationId' | 'name' | 'description'>): List;
  deleteList(applicationId: string, id: string): boolean;
  /** Adds values (already normalized); returns how many were new. */
  addListItems(listId: string, values: readonly string[]): number;
  /** Removes values; returns how many were there. */
  removeListItems(listId: string, values: readonly string[]): number;
  /** Items in order, after `after` (a page boundary), at most `limit`. */
  listItems(listId: string, after: string | null, limit: number): ListItem[];
  allListItems(listId: string): string[];

  recordEvaluation(evaluation: NewEvaluation): RuleEvaluation;
  /** Newest first; `beforeSeq` is a page boundary. */
  listEvaluations(accountId: string, beforeSeq: number | null, limit: number): (RuleEvaluation & { seq: number })[];
  /** Deletes up to `limit` evaluations older than the given Unix time; returns how many. */
  pruneEvaluations(olderThan: number, limit: number): number;

  /** Messages sent and received by the account on a UTC day (YYYY-MM-DD). */
  dailyCounts(accountId: string, day: string): { sent: number; received: number };
  /** Adds `n` (negative to give back a reservation) to a day's count, never below 0. */
  addDailyCount(accountId: string, day: string, kind: 'sent' | 'received', n: number): void;
  /** Bytes of every message the account stores. */
  storageUsed(accountId: string): number;

  /** A sender whose mail the user moved out of Junk: its mail is not filed as spam again. */
  rememberNotJunk(accountId: string, address: string): void;
  isNotJunk(accountId: string, address: string): boolean;
}

export type TeamRole = 'admin' | 'member';

/** A team member of the dashboard, without any secret (safe to show, return or log). */
export interface User {
  id: string;
  /** Lower case, unique (compared case-insensitively). */
  email: string;
  name: string;
  role: TeamRole;
  /** TOTP is enrolled and confirmed: sign-in asks for a code. */
  mfaEnabled: boolean;
  createdAt: Seconds;
  updatedAt: Seconds;
  lastSignInAt: Seconds | null;
}

/** A member as the team list shows them. */
export interface TeamMember extends User {
  /** Holds a signed-in session that has not expired. */
  signedIn: boolean;
}

/** What sign-in checks a member against. Never returned by a surface, never logged. */
export interface UserCredentials {
  /** bcrypt. */
  passwordHash: string;
  /** Base32; set during an enrolment (not yet enabled) and while enabled. */
  totpSecret: string | null;
  totpEnabled: boolean;
  /** The time step of the last code accepted (codes of it or earlier ones are refused). */
  totpLastStep: number | null;
}

export interface NewUser {
  id: string;
  email: string;
  name: string;
  role: TeamRole;
  passwordHash: string;
  createdAt: Seconds;
}

/** A dashboard session; `id` is the SHA-256 of the cookie's token (the token is not kept). */
export interface Session {
  id: string;
  userId: string;
  createdAt: Seconds;
  lastSeenAt: Seconds;
  /** Absolute end; idleness ends it earlier (the service decides). */
  expiresAt: Seconds;
  /** False: the password was right and the TOTP code is still to come. */
  mfaPassed: boolean;
  /** Signed in while MFA is required and the member has none: it may only enrol. */
  mustEnrol: boolean;
  csrfToken: string;
}

export interface Invitation {
  id: string;
  email: string;
  name: string;
  role: TeamRole;
  /** The member who invited (null once they are removed, or when the CLI did). */
  invitedBy: string | null;
  createdAt: Seconds;
  expiresAt: Seconds;
  acceptedAt: Seconds | null;
}

export interface NewInvitation extends Omit<Invitation, 'acceptedAt'> {
  /** SHA-256 of the link's token. */
  tokenHash: string;
}

export type ActorType = 'user' | 'api_key' | 'cli';

/** One entry of the activity log: who changed what. */
export interface Activity {
  id: number;
  at: Seconds;
  actorType: ActorType;
  actorId: string | null;
  /** The member's email or the key's name at the time, for reading after they are gone. */
  actorLabel: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  detail: Record<string, unknown>;
}

export type NewActivity = Omit<Activity, 'id'>;

/** The organization row with what the dashboard adds to it. */
export interface OrganizationSettings extends Organization {
  /** The agent account invitations and other system mail are sent from (null: not set). */
  systemAccountEmail: string | null;
}

export interface OrganizationPatch {
  name?: string;
  contactEmail?: string | null;
  requireMfa?: boolean;
  systemAccountEmail?: string | null;
}

/**
 * The dashboard's team: members, their credentials, sessions, MFA and recovery codes,
 * invitations, the organization's settings, and the activity log. Times are given by the
 * caller (Unix seconds), so a service with an injected clock is obeyed throughout. Rules that
 * need a look at other rows (the last admin) are checked inside the write's transaction.
 */
export interface TeamStore {
  organization(): OrganizationSettings;
  updateOrganization(patch: OrganizationPatch, at: Seconds): OrganizationSettings;

  countUsers(): number;
  /** Inserts the member; a taken email is a ConflictError. */
  createUser(user: NewUser): User;
  /** Every member, oldest first, with whether a session of theirs is live (full, not expired). */
  listUsers(now: Seconds, idleSince: Seconds): TeamMember[];
  getUser(id: string): User | undefined;
  findUserByEmail(email: string): User | undefined;
  credentials(userId: string): UserCredentials | undefined;
  updateUser(id: string, patch: { name?: string; passwordHash?: string }, at: Seconds): User | undefined;
  recordSignIn(id: string, at: Seconds): void;
  /** Changes the role, refusing to demote the last admin. */
  setRole(id: string, role: TeamRole, at: Seconds): User | 'not_found' | 'last_admin';
  /** Deletes the member with their sessions and recovery codes, refusing the last admin. */
  deleteUser(id: string): User | 'not_found' | 'last_admin';

  /** Keeps a new secret for an enrolment (replacing one not yet confirmed); false when MFA is on. */
  setPendingTotp(userId: string, secret: string, at: Seconds): boolean;
  /**
   * Turns the pending secret on with the step of the confirming code and the hashes of fresh
   * recovery codes (replacing any old ones); false when there is no pending secret.
   */
  enableTotp(userId: string, step: number, recoveryCodeHashes: readonly string[], at: Seconds): boolean;
  /** Removes the secret, the replay mark and the recovery codes. */
  disableTotp(userId: string, at: Seconds): boolean;
  /** Records an accepted code's step if it is later than the last one; false: a replay. */
  advanceTotpStep(userId: string, step: number): boolean;
  /** Marks an unused recovery code used; false when there is no such unused code. */
  useRecoveryCode(userId: string, codeHash: string, at: Seconds): boolean;
  recoveryCodesLeft(userId: string): number;

  createSession(session: Session): Session;
  getSession(id: string): Session | undefined;
  touchSession(id: string, at: Seconds): void;
  /** The member enrolled: their sessions that could only enrol become full ones. */
  clearMustEnrol(userId: string): void;
  deleteSession(id: string): boolean;
  /** Ends every session of the member but `exceptId`; returns how many. */
  deleteUserSessions(userId: string, exceptId?: string): number;
  /** Removes sessions past their absolute end or idle since before `idleBefore`. */
  pruneSessions(now: Seconds, idleBefore: Seconds): number;

  /** Stores the invitation, dropping any other invitation not yet accepted for that email. */
  createInvitation(invitation: NewInvitation): Invitation;
  /** Invitations not yet accepted (expired ones included), newest first. */
  listInvitations(): Invitation[];
  getInvitation(id: string): Invitation | undefined;
  findInvitationByTokenHash(tokenHash: string): Invitation | undefined;
  /** A new token and expiry for an invitation not yet accepted (the old link is dead). */
  renewInvitation(id: string, tokenHash: string, at: Seconds, expiresAt: Seconds): Invitation | undefined;
  deleteInvitation(id: string): boolean;
  /**
   * Marks the invitation accepted and creates its member in one transaction; 'gone' when it
   * was accepted, replaced or expired meanwhile. A taken email is a ConflictError.
   */
  acceptInvitation(id: string, tokenHash: string, user: NewUser): User | 'gone';

  recordActivity(activity: NewActivity): Activity;
  /** Newest first; `beforeId` is a page boundary. */
  listActivity(limit: number, beforeId: number | null): Activity[];
}

export interface Store {
  readonly directory: DirectoryStore;
  readonly governance: GovernanceStore;
  readonly team: TeamStore;
  readonly mail: MailStore;
  readonly queue: QueueStore;
  readonly apiKeys: ApiKeyStore;
  readonly events: EventOutbox;
  readonly webhooks: WebhookStore;
  readonly changes: ChangeBus;
  /** Where the data lives, for status output ("sqlite:/path/wicket.db"). */
  readonly location: string;
  stats(): StoreStats;
  /**
   * Resolves once every write committed before the call would survive a power cut. Callers
   * that acknowledge a write to a client (SMTP 250, IMAP OK, an API 2xx) await it first; it
   * rejects when the disk refused the sync. Immediate when nothing is waiting for the disk.
   */
  durable(): Promise<void>;
  /** A cheap round trip, for /readyz. */
  ping(): boolean;
  /** Stops background work (the checkpoint worker), then closes: what the server does on exit. */
  shutdown(): Promise<void>;
  close(): void;
}
