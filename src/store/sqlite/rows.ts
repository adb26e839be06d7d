// Row shapes of the SQLite schema and their mapping to the store's types.
import type {
  Account,
  Application,
  Domain,
  Folder,
  MessageRecord,
  MessageSearchText,
  Organization,
  RecordCheck,
  RecordKey,
  SpecialUse,
  Workspace,
} from '../types.js';

export interface OrganizationRow {
  id: string;
  name: string;
  contact_email: string | null;
  require_mfa: number;
  created_at: number;
  updated_at: number;
}

export const toOrganization = (r: OrganizationRow): Organization => ({
  id: r.id,
  name: r.name,
  contactEmail: r.contact_email,
  requireMfa: r.require_mfa === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface ApplicationRow {
  id: string;
  name: string;
  is_default: number;
  created_at: number;
  updated_at: number;
}

export const toApplication = (r: ApplicationRow): Application => ({
  id: r.id,
  name: r.name,
  isDefault: r.is_default === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface DomainRow {
  id: string;
  name: string;
  dkim_selector: string;
  dkim_public_key: string;
  ownership_token: string;
  created_at: number;
  updated_at: number;
}

/** Column list for domains that leaves the private key out of ordinary reads. */
export const DOMAIN_COLUMNS = 'id, name, dkim_selector, dkim_public_key, ownership_token, created_at, updated_at';

export const toDomain = (r: DomainRow): Domain => ({
  id: r.id,
  name: r.name,
  dkimSelector: r.dkim_selector,
  dkimPublicKey: r.dkim_public_key,
  ownershipToken: r.ownership_token,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface RecordCheckRow {
  record: string;
  status: 'verified' | 'unverified';
  reason: string | null;
  checked_at: number;
}

export const toRecordCheck = (r: RecordCheckRow): RecordCheck => ({
  record: r.record as RecordKey,
  status: r.status,
  reason: r.reason,
  checkedAt: r.checked_at,
});

export interface WorkspaceRow {
  id: string;
  application_id: string;
  name: string;
  domain: string | null;
  auto_group: number;
  is_default: number;
  policy_id: string | null;
  rule_ids: string;
  created_at: number;
  updated_at: number;
}

export const toWorkspace = (r: WorkspaceRow): Workspace => ({
  id: r.id,
  applicationId: r.application_id,
  name: r.name,
  domain: r.domain,
  autoGroup: r.auto_group === 1,
  isDefault: r.is_default === 1,
  policyId: r.policy_id,
  ruleIds: JSON.parse(r.rule_ids) as string[],
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface AccountRow {
  id: string;
  application_id: string;
  workspace_id: string;
  domain_id: string;
  email: string;
  name: string | null;
  password_hash: string | null;
  grant_status: 'valid' | 'invalid';
  created_at: number;
  updated_at: number;
}

export const toAccount = (r: AccountRow): Account => ({
  id: r.id,
  applicationId: r.application_id,
  workspaceId: r.workspace_id,
  domainId: r.domain_id,
  email: r.email,
  name: r.name,
  passwordHash: r.password_hash,
  grantStatus: r.grant_status,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** What an event records about an account: never the password hash. */
export const accountSnapshot = (a: Account): Record<string, unknown> => ({
  id: a.id,
  application_id: a.applicationId,
  workspace_id: a.workspaceId,
  email: a.email,
  name: a.name,
  grant_status: a.grantStatus,
  has_app_password: a.passwordHash !== null,
  created_at: a.createdAt,
  updated_at: a.updatedAt,
});

export interface FolderRow {
  id: number;
  account_id: string;
  name: string;
  special_use: string | null;
  uid_validity: number;
  uid_next: number;
  highest_modseq: number;
  subscribed: number;
  noselect: number;
  created_at: number;
}

export const toFolder = (r: FolderRow): Folder => ({
  id: r.id,
  accountId: r.account_id,
  name: r.name,
  specialUse: r.special_use as SpecialUse | null,
  uidValidity: r.uid_validity,
  uidNext: r.uid_next,
  highestModseq: r.highest_modseq,
  subscribed: r.subscribed === 1,
  noselect: r.noselect === 1,
  createdAt: r.created_at,
});

export interface MessageRow {
  id: number;
  public_id: string | null;
  thread_id: string | null;
  account_id: string;
  folder_id: number;
  uid: number;
  modseq: number;
  internal_date: number;
  size: number;
  seen: number;
  answered: number;
  flagged: number;
  deleted: number;
  draft: number;
  recent: number;
  keywords: string;
  subject: string | null;
  created_at: number;
}

/** SEARCH's header text (migration 10); search_subject is NULL until computed. */
export interface SearchColumns {
  search_from: string | null;
  search_to: string | null;
  search_cc: string | null;
  search_bcc: string | null;
  search_subject: string | null;
  sent_day: number | null;
}

export const searchOf = (r: SearchColumns): MessageSearchText | null =>
  r.search_subject === null
    ? null
    : {
        from: r.search_from ?? '',
        to: r.search_to ?? '',
        cc: r.search_cc ?? '',
        bcc: r.search_bcc ?? '',
        subject: r.search_subject,
        sentDay: r.sent_day,
      };

export const MESSAGE_COLUMNS =
  'id, public_id, thread_id, account_id, folder_id, uid, modseq, internal_date, size, seen, answered, flagged, deleted, draft, recent, keywords, subject, created_at';

/** System flags in canonical order, then keywords. */
export const flagsOf = (r: Pick<MessageRow, 'seen' | 'answered' | 'flagged' | 'deleted' | 'draft' | 'keywords'>): string[] => {
  const flags: string[] = [];
  if (r.seen) flags.push('\\Seen');
  if (r.answered) flags.push('\\Answered');
  if (r.flagged) flags.push('\\Flagged');
  if (r.deleted) flags.push('\\Deleted');
  if (r.draft) flags.push('\\Draft');
  if (r.keywords !== '[]') flags.push(...(JSON.parse(r.keywords) as string[]));
  return flags;
};

export const toMessage = (r: MessageRow): MessageRecord => {
  const flags = flagsOf(r);
  return {
    id: r.id,
    // Every row gets both when inserted (migration 8 filled the older ones).
    publicId: r.public_id ?? String(r.id),
    threadId: r.thread_id ?? r.public_id ?? String(r.id),
    accountId: r.account_id,
    folderId: r.folder_id,
    uid: r.uid,
    modseq: r.modseq,
    internalDate: r.internal_date,
    size: r.size,
    flags,
    recent: r.recent === 1,
    subject: r.subject,
    createdAt: r.created_at,
  };
};
