// Accounts (grants): the one service every surface — CLI, API, dashboard — calls to create,
// read, change or delete an account. Rules are checked here, on every write.
import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { Page, Store } from '../store/store.js';
import type { Account, AccountPatch, NewFolder } from '../store/types.js';
import { parseAddress } from './address.js';
import { checkAppPassword, hashAppPassword } from './app-password.js';
import { checkDisplayName } from './display-name.js';
import { placeAccount } from './placement.js';

/** Created with every account; cannot be deleted or renamed (PRODUCT.md, RFC 6154). */
export const SYSTEM_FOLDERS: readonly NewFolder[] = [
  { name: 'INBOX', specialUse: null },
  { name: 'Sent', specialUse: '\\Sent' },
  { name: 'Drafts', specialUse: '\\Drafts' },
  { name: 'Trash', specialUse: '\\Trash' },
  { name: 'Junk', specialUse: '\\Junk' },
  { name: 'Archive', specialUse: '\\Archive' },
];

export interface NewAccountInput {
  email: string;
  name?: string;
  appPassword?: string;
  workspaceId?: string;
}

export interface AccountUpdate {
  name?: string;
  /** A new app password, or null to remove it (and with it all protocol access). */
  appPassword?: string | null;
  workspaceId?: string;
}

export class AccountService {
  constructor(
    private readonly store: Store,
    private readonly settings: { bcryptCost: number },
  ) {}

  async create(applicationId: string, input: NewAccountInput): Promise<Account> {
    const address = parseAddress(input.email);
    if (!address.ok) throw new ValidationError('email', 'syntax', `invalid address: ${address.reason}`);
    const domain = this.store.directory.findDomainByName(address.domain);
    if (!domain) throw new ValidationError('email', 'unregistered_domain', `domain ${address.domain} is not registered`);
    if (input.name !== undefined) this.checkName(input.name);
    if (input.appPassword !== undefined) this.checkPassword(input.appPassword);
    const placement = placeAccount(
      this.store.directory.listWorkspaces(applicationId),
      applicationId,
      address.domain,
      input.workspaceId,
    );
    if (!placement.ok) throw new NotFoundError(placement.error);
    this.ensureAddressFree(address.email);

    const passwordHash = input.appPassword !== undefined ? await hashAppPassword(input.appPassword, this.settings.bcryptCost) : null;
    try {
      return this.store.directory.createAccount(
        {
          id: randomUUID(),
          applicationId,
          workspaceId: placement.workspace.id,
          domainId: domain.id,
          email: address.email,
          name: input.name ?? null,
          passwordHash,
        },
        [...SYSTEM_FOLDERS],
      );
    } catch (err) {
      // Created by someone else while the password was being hashed.
      if (err instanceof ConflictError) throw new ConflictError(`account ${address.email} already exists`);
      throw err;
    }
  }

  list(applicationId: string, page?: Page): Account[] {
    return this.store.directory.listAccounts(applicationId, page);
  }

  count(applicationId: string): number {
    return this.store.directory.countAccounts(applicationId);
  }

  /**
   * Accounts whose address or display name contains `text` (case-insensitive), one page of
   * them and how many match in all; every account when `text` is blank. The store does the
   * matching, so a search costs the same however many accounts the application has.
   */
  search(applicationId: string, text: string, page: Page): { accounts: Account[]; total: number } {
    const needle = text.trim();
    if (needle === '') return { accounts: this.list(applicationId, page), total: this.count(applicationId) };
    return {
      accounts: this.store.directory.searchAccounts(applicationId, needle, page),
      total: this.store.directory.countAccountsMatching(applicationId, needle),
    };
  }

  /**
   * The account at an address, of any application — for the organization's own use (the system
   * account the dashboard mails from; whether an invitee's address is a local mailbox). Never
   * for a tenant: `get` is the one that keeps applications apart.
   */
  findInOrganization(email: string): Account | undefined {
    const address = parseAddress(email);
    return address.ok ? this.store.directory.findAccountByEmail(address.email) : undefined;
  }

  /** By id or by address; only accounts of the given application are visible. */
  get(applicationId: string, ref: string): Account {
    const account = ref.includes('@')
      ? (() => {
          const address = parseAddress(ref);
          return address.ok ? this.store.directory.findAccountByEmail(address.email) : undefined;
        })()
      : this.store.directory.getAccount(ref.trim());
    if (!account || account.applicationId !== applicationId) throw new NotFoundError(`account ${ref} not found`);
    return account;
  }

  async update(applicationId: string, ref: string, update: AccountUpdate): Promise<Account> {
    const account = this.get(applicationId, ref);
    if (update.name === undefined && update.appPassword === undefined && update.workspaceId === undefined) {
      throw new ValidationError('update', 'empty', 'nothing to update: give a name, an app password or a workspace');
    }
    const patch: AccountPatch = {};
    if (update.name !== undefined) {
      this.checkName(update.name);
      patch.name = update.name;
    }
    if (update.workspaceId !== undefined) {
      const workspace = this.store.directory.getWorkspace(update.workspaceId);
      if (!workspace || workspace.applicationId !== applicationId) {
        throw new NotFoundError(`workspace ${update.workspaceId} not found in this application`);
      }
      patch.workspaceId = workspace.id;
    }
    if (update.appPassword !== undefined) {
      if (update.appPassword === null) patch.passwordHash = null;
      else {
        this.checkPassword(update.appPassword);
        patch.passwordHash = await hashAppPassword(update.appPassword, this.settings.bcryptCost);
      }
    }
    return this.store.directory.updateAccount(account.id, patch);
  }

  /** Deletes the account and all its mail; the address can then be created again. */
  delete(applicationId: string, ref: string): Account {
    const account = this.get(applicationId, ref);
    if (!this.store.directory.deleteAccount(account.id)) throw new NotFoundError(`account ${ref} not found`);
    return account;
  }

  private checkName(name: string): void {
    const problem = checkDisplayName(name);
    if (problem) throw problem;
  }

  private checkPassword(password: string): void {
    const problem = checkAppPassword(password);
    if (problem) throw problem;
  }

  private ensureAddressFree(email: string): void {
    if (this.store.directory.findAccountByEmail(email)) throw new ConflictError(`account ${email} already exists`);
  }
}
