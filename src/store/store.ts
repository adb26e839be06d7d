// The store, behind a narrow interface named in mail terms (ARCHITECTURE.md principle 6).
// Callers never see SQL: a PostgreSQL backend can implement these interfaces without a change
// to the services or surfaces. Every write runs in one transaction; the changes it made are
// written to the events outbox inside that transaction and published on the change bus only
// after the commit, so listeners see exactly what was stored.
import type { ChangeBus } from './changes.js';
import type {
  Account,
  AccountPatch,
  Application,
  DkimKey,
  Domain,
  Folder,
  MessageRecord,
  NewAccount,
  NewDomain,
  NewFolder,
  NewMessage,
  NewWorkspace,
  Organization,
  OutboxEvent,
  RecordCheck,
  StoreStats,
  Workspace,
} from './types.js';

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
  /** Deletes a non-default workspace, moving its accounts to the application's default one. */
  deleteWorkspace(id: string): { moved: number };

  /** Creates the account and its folders in one transaction. */
  createAccount(account: NewAccount, folders: NewFolder[]): Account;
  listAccounts(applicationId: string, page?: Page): Account[];
  countAccounts(applicationId: string): number;
  getAccount(id: string): Account | undefined;
  /** Looks an address up across all applications (addresses are unique installation-wide). */
  findAccountByEmail(email: string): Account | undefined;
  updateAccount(id: string, patch: AccountPatch): Account;
  /** Deletes the account and all its mail. */
  deleteAccount(id: string): boolean;
}

/** Folders and messages of one account at a time. */
export interface MailStore {
  listMailboxes(accountId: string): Folder[];
  getMailbox(accountId: string, name: string): Folder | undefined;
  /** Appends a message: next UID of the folder, next MODSEQ, flags and internal date. */
  appendMessage(accountId: string, folderId: number, message: NewMessage): MessageRecord;
  listMessages(folderId: number): MessageRecord[];
  /** The message's bytes exactly as stored. */
  readMessage(messageId: number): Buffer | undefined;
}

export interface EventOutbox {
  /** Events after the given id, oldest first. */
  listAfter(afterId: number, limit: number): OutboxEvent[];
}

export interface Store {
  readonly directory: DirectoryStore;
  readonly mail: MailStore;
  readonly events: EventOutbox;
  readonly changes: ChangeBus;
  /** Where the data lives, for status output ("sqlite:/path/wicket.db"). */
  readonly location: string;
  stats(): StoreStats;
  /** A cheap round trip, for /readyz. */
  ping(): boolean;
  close(): void;
}
