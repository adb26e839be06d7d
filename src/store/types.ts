// What the store holds, in the terms of the product. Times are Unix seconds unless named
// otherwise (internal dates are milliseconds, as IMAP INTERNALDATE keeps the time of day).

export type Seconds = number;

export interface Organization {
  id: string;
  name: string;
  contactEmail: string | null;
  requireMfa: boolean;
  createdAt: Seconds;
  updatedAt: Seconds;
}

/** A tenant: accounts, workspaces, API keys and webhooks belong to one application. */
export interface Application {
  id: string;
  name: string;
  isDefault: boolean;
  createdAt: Seconds;
  updatedAt: Seconds;
}

export interface Domain {
  id: string;
  /** Lower case, A-label form, no trailing dot. */
  name: string;
  dkimSelector: string;
  /** Base64 of the DER SubjectPublicKeyInfo, as published in the DKIM TXT `p=` tag. */
  dkimPublicKey: string;
  ownershipToken: string;
  createdAt: Seconds;
  updatedAt: Seconds;
}

export interface NewDomain extends Omit<Domain, 'createdAt' | 'updatedAt'> {
  dkimPrivateKeyPem: string;
}

export interface DkimKey {
  domain: string;
  selector: string;
  privateKeyPem: string;
}

/** The DNS records a domain publishes, by purpose. */
export type RecordKey =
  | 'mx'
  | 'spf'
  | 'dkim'
  | 'dmarc'
  | 'ownership'
  | 'srv_imaps'
  | 'srv_submissions'
  | 'srv_submission'
  | 'autoconfig';

export interface RecordCheck {
  record: RecordKey;
  status: 'verified' | 'unverified';
  reason: string | null;
  checkedAt: Seconds;
}

export interface Workspace {
  id: string;
  applicationId: string;
  name: string;
  /** The mail domain the workspace groups; set at creation only. */
  domain: string | null;
  autoGroup: boolean;
  isDefault: boolean;
  policyId: string | null;
  ruleIds: string[];
  createdAt: Seconds;
  updatedAt: Seconds;
}

export type NewWorkspace = Omit<Workspace, 'createdAt' | 'updatedAt'>;

export type WorkspacePatch = Partial<Pick<Workspace, 'name' | 'policyId' | 'ruleIds' | 'autoGroup'>>;

export type GrantStatus = 'valid' | 'invalid';

export interface Account {
  id: string;
  applicationId: string;
  workspaceId: string;
  domainId: string;
  /** Lower case. */
  email: string;
  name: string | null;
  /** bcrypt hash of the app password; null = protocol access disabled. */
  passwordHash: string | null;
  grantStatus: GrantStatus;
  createdAt: Seconds;
  updatedAt: Seconds;
}

export type NewAccount = Omit<Account, 'createdAt' | 'updatedAt' | 'grantStatus'>;

export interface AccountPatch {
  name?: string;
  passwordHash?: string | null;
  workspaceId?: string;
}

/** RFC 6154 special-use attributes of the system folders. */
export type SpecialUse = '\\Sent' | '\\Drafts' | '\\Trash' | '\\Junk' | '\\Archive';

export interface NewFolder {
  name: string;
  specialUse: SpecialUse | null;
}

export interface Folder {
  id: number;
  accountId: string;
  /** Full path, hierarchy delimiter "/"; INBOX is always spelled "INBOX". */
  name: string;
  specialUse: SpecialUse | null;
  uidValidity: number;
  uidNext: number;
  highestModseq: number;
  subscribed: boolean;
  /** A name kept only because it has children (RFC 3501 §6.3.4): holds no messages. */
  noselect: boolean;
  createdAt: Seconds;
}

/** System flags of RFC 3501 §2.3.2 that are stored per message (\Recent is per session). */
export type SystemFlag = '\\Seen' | '\\Answered' | '\\Flagged' | '\\Deleted' | '\\Draft';

export interface MessageRecord {
  /** The row: changes when the message moves to another folder (IMAP MOVE copies the row). */
  id: number;
  /** The REST API id: kept across moves, new for a copy. */
  publicId: string;
  /** The conversation (Message-ID / In-Reply-To / References), shared by the copies of a message. */
  threadId: string;
  accountId: string;
  folderId: number;
  uid: number;
  modseq: number;
  /** Milliseconds since the epoch. */
  internalDate: number;
  size: number;
  /** System flags (with backslash) followed by keywords. */
  flags: string[];
  /** IMAP4rev1 \Recent: set on arrival, cleared when a session first selects the folder. */
  recent: boolean;
  subject: string | null;
  createdAt: Seconds;
}

export interface NewMessage {
  /** The message exactly as received; stored byte for byte. */
  raw: Buffer;
  flags?: string[];
  internalDate?: Date;
  summary?: MessageSummary;
  structure?: MessageStructure;
  search?: MessageSearchText;
}

/**
 * IMAP FETCH data computed once when a message is stored (never re-parsed on FETCH): ENVELOPE,
 * BODY and BODYSTRUCTURE as IMAP values (JSON: null, numbers, strings, { atom }, arrays).
 */
export interface MessageStructure {
  envelope: unknown;
  body: unknown;
  bodyStructure: unknown;
}

/**
 * The header text SEARCH matches (RFC 3501 §6.4.4), kept beside the message so that a search
 * reads no message. Per field, every value decoded and case-folded, each after a "\n" ("" when
 * the message has no such field); the Date field's day in its own zone as YYYYMMDD.
 */
export interface MessageSearchText {
  from: string;
  to: string;
  cc: string;
  bcc: string;
  subject: string;
  sentDay: number | null;
}

/** System flags as stored, one bit each (FlagIndex.bits). */
export const FLAG_BITS: Record<SystemFlag, number> = { '\\Seen': 1, '\\Answered': 2, '\\Flagged': 4, '\\Deleted': 8, '\\Draft': 16 };

/**
 * What a folder's index holds of its messages, column by column (one entry per message, UIDs
 * ascending): for FETCH of flags over 100,000 messages, without a record per message.
 */
export interface FlagIndex {
  /** Read-only: the whole folder's may be the store's own cached column (no copy). */
  uids: readonly number[];
  modseqs: readonly number[];
  /** FLAG_BITS of the system flags (\Recent is each session's own). */
  bits: readonly number[];
  /** Keywords of the messages that have any, by UID. */
  keywords: Map<number, string[]>;
  /** Milliseconds since the epoch; only when asked for. */
  internalDates?: number[];
  /** Only when asked for. */
  sizes?: number[];
}

/** A calendar day as YYYYMMDD (20240131), compared before / on / since. */
export interface DayComparison {
  cmp: 'before' | 'on' | 'since';
  day: number;
}

/**
 * A condition on a folder's messages that the store answers from what it keeps beside each
 * message, without reading one: SEARCH keys (RFC 3501 §6.4.4) in mail terms.
 */
export type MessageFilter =
  | { op: 'all' }
  | { op: 'and'; filters: MessageFilter[] }
  | { op: 'or'; filters: [MessageFilter, MessageFilter] }
  | { op: 'not'; filter: MessageFilter }
  /** Inclusive UID ranges, low ≤ high. */
  | { op: 'uids'; ranges: [number, number][] }
  | { op: 'flag'; flag: SystemFlag; present: boolean }
  /** Compared case-insensitively (ASCII). */
  | { op: 'keyword'; keyword: string; present: boolean }
  | { op: 'size'; cmp: 'larger' | 'smaller'; bytes: number }
  | { op: 'modseq'; min: number }
  /** The internal date's UTC day. */
  | ({ op: 'internalDate' } & DayComparison)
  /** The Date field's day in its own zone; a message without one matches no comparison. */
  | ({ op: 'sentDay' } & DayComparison)
  /** `text` (case-folded, no newline) is in one of the field's values; "" = the field is present. */
  | { op: 'header'; field: 'from' | 'to' | 'cc' | 'bcc' | 'subject'; text: string };

export interface FilterResult {
  /** Matching UIDs, ascending. */
  uids: number[];
  /** The highest MODSEQ among them (0 for none); computed only when asked. */
  highestModseq: number;
  /**
   * Messages whose header text is not computed yet (stored before it was kept): the filter
   * could not judge them, so the caller reads them itself. Empty once the store caught up.
   */
  unjudged: number[];
}

/** What the API lists without reading the body; parsed once at delivery. */
export interface MessageSummary {
  subject: string | null;
  from: MailAddress[];
  to: MailAddress[];
  cc: MailAddress[];
  messageId: string | null;
  /** The Date header, in Unix seconds, when it parses. */
  date: number | null;
  /** In-Reply-To message ids (with angle brackets); absent in summaries stored before threads. */
  inReplyTo?: string[];
  /** References message ids, oldest first; absent in summaries stored before threads. */
  references?: string[];
}

/** What the API may filter an account's messages on in SQL (MailStore.queryMessages). */
export interface MessageQuery {
  folderIds?: number[];
  threadId?: string;
  /** Case-insensitive substring of the subject. */
  subject?: string;
  /** Any of these addresses in From / To / Cc; in any of the three for anyEmail. */
  from?: string[];
  to?: string[];
  cc?: string[];
  anyEmail?: string[];
  unread?: boolean;
  starred?: boolean;
  /** Internal date bounds, milliseconds: before is exclusive, notBefore inclusive. */
  before?: number;
  notBefore?: number;
}

/** A position in the newest-first order (internal date, then row id, both descending). */
export interface MessagePosition {
  internalDate: number;
  id: number;
}

export interface MailAddress {
  name: string;
  address: string;
}

/** One message arriving, as it is to be stored: every copy and queue entry in one transaction. */
/**
 * A body that is another body of the same delivery (`base`, an index into `bodies` of a plain
 * one) under a few more header fields: a submission's local and relayed copies are its Sent copy
 * under their trace fields (Return-Path, Received). Stored as the prefix and a reference.
 */
export interface DerivedBody {
  prefix: Buffer;
  base: number;
}

export interface NewDelivery {
  /** Distinct message bodies; copies and queue entries refer to them by index. */
  bodies: (Buffer | DerivedBody)[];
  internalDate: Date;
  copies: {
    accountId: string;
    folder: string;
    flags: string[];
    body: number;
    summary: MessageSummary;
    structure?: MessageStructure;
    search?: MessageSearchText;
  }[];
  outbound: NewQueueEntry[];
}

export interface DeliveryReceipt {
  messages: MessageRecord[];
  queued: QueueEntry[];
}

export type QueueStatus = 'queued' | 'held' | 'sending' | 'delivered' | 'failed';

/** RFC 3461 DSN parameters given with MAIL FROM / RCPT TO. */
export interface DsnRequest {
  /** NEVER, or any of SUCCESS, FAILURE, DELAY; null = the default (FAILURE). */
  notify: ('NEVER' | 'SUCCESS' | 'FAILURE' | 'DELAY')[] | null;
  ret: 'FULL' | 'HDRS' | null;
  envid: string | null;
  orcpt: string | null;
}

export interface NewQueueEntry {
  id: string;
  applicationId: string | null;
  accountId: string | null;
  body: number;
  mailFrom: string;
  rcptTo: string;
  status: 'queued' | 'held';
  nextAttemptAt: Seconds;
  expiresAt: Seconds;
  messageId: string | null;
  dsn: DsnRequest | null;
}

/** One remote recipient of one message on its way out. */
export interface QueueEntry {
  id: string;
  applicationId: string | null;
  accountId: string | null;
  mailFrom: string;
  rcptTo: string;
  status: QueueStatus;
  attempts: number;
  nextAttemptAt: Seconds | null;
  lastAttemptAt: Seconds | null;
  lastError: string | null;
  expiresAt: Seconds;
  messageId: string | null;
  size: number;
  dsn: DsnRequest | null;
  createdAt: Seconds;
  updatedAt: Seconds;
}

/** How STORE changes flags (RFC 3501 §6.4.6). */
export type FlagOperation = 'add' | 'remove' | 'replace';

export interface FlagUpdateResult {
  /** Messages whose flags changed, with their new MODSEQ. */
  updated: MessageRecord[];
  /** UIDs left alone because they changed after UNCHANGEDSINCE (RFC 7162 §3.1.3). */
  conflicts: number[];
}

export interface ClaimedEntry extends QueueEntry {
  raw: Buffer;
}

/** A write's effect, published on the change bus after commit and kept in the events outbox. */
export type Change =
  | { type: 'grant.created' | 'grant.deleted'; applicationId: string; accountId: string }
  | { type: 'grant.updated'; applicationId: string; accountId: string; passwordChanged: boolean }
  | { type: 'folder.created'; applicationId: string; accountId: string; folderId: number }
  | { type: 'message.created'; applicationId: string; accountId: string; folderId: number; uid: number; messageId: number; modseq: number }
  | { type: 'message.updated'; applicationId: string; accountId: string; folderId: number; uid: number; messageId: number; modseq: number; flags: string[] }
  | { type: 'message.deleted'; applicationId: string; accountId: string; folderId: number; uid: number; messageId: number; modseq: number }
  | { type: 'folder.updated' | 'folder.deleted'; applicationId: string; accountId: string; folderId: number }
  | { type: 'message.delivered' | 'message.bounced' | 'message.send_failed'; applicationId: string; accountId: string; queueId: string; recipient: string };

export interface OutboxEvent {
  id: number;
  /** The process that wrote it (see EventOutbox.origin). */
  origin: string | null;
  type: Change['type'];
  applicationId: string | null;
  accountId: string | null;
  /** A snapshot of the object the event is about, without secrets. */
  object: Record<string, unknown>;
  createdAt: Seconds;
}

/** A bearer token of the REST API; the key itself is never stored, only its SHA-256. */
export interface ApiKey {
  id: string;
  applicationId: string;
  name: string;
  /** The key's first characters, to tell keys apart in lists ("wk_live_3f9a…"). */
  prefix: string;
  createdAt: Seconds;
  lastUsedAt: Seconds | null;
  revokedAt: Seconds | null;
}

export interface NewApiKey {
  id: string;
  applicationId: string;
  name: string;
  prefix: string;
  /** Hex SHA-256 of the whole key. */
  hash: string;
}

export interface StoreStats {
  schemaVersion: number;
  applications: number;
  domains: number;
  workspaces: number;
  accounts: number;
  accountsWithAppPassword: number;
  messages: number;
  messageBytes: number;
  queue: Record<QueueStatus, number>;
}

/** What a webhook can be told about (PRODUCT.md "Webhooks"). */
export const WEBHOOK_TRIGGERS = [
  'message.created',
  'message.updated',
  'message.deleted',
  'message.delivered',
  'message.bounced',
  'message.send_failed',
  'folder.created',
  'folder.updated',
  'folder.deleted',
  'grant.created',
  'grant.updated',
  'grant.deleted',
] as const;

export type WebhookTrigger = (typeof WEBHOOK_TRIGGERS)[number];

/** active: delivering; failing: the last attempt failed; failed: gave up on a delivery; pause: set by the owner. */
export type WebhookStatus = 'active' | 'failing' | 'failed' | 'pause';

/** An application's webhook. `secret` is its signing key: never logged, shown only on create and rotation. */
export interface Webhook {
  id: string;
  applicationId: string;
  description: string | null;
  url: string;
  triggerTypes: WebhookTrigger[];
  secret: string;
  status: WebhookStatus;
  notificationEmails: string[];
  statusUpdatedAt: Seconds;
  createdAt: Seconds;
  updatedAt: Seconds;
}

export type NewWebhook = Omit<Webhook, 'status' | 'statusUpdatedAt' | 'createdAt' | 'updatedAt'>;

export interface WebhookPatch {
  description?: string | null;
  url?: string;
  triggerTypes?: WebhookTrigger[];
  notificationEmails?: string[];
  status?: 'active' | 'pause';
}

/** One event for one webhook, as fanned out from the events outbox. */
export interface NewWebhookDelivery {
  /** The notification id receivers see (the envelope's `id`); the same on every attempt. */
  id: string;
  webhookId: string;
  eventId: number;
  /** The envelope's `type` (e.g. message.created.truncated). */
  type: string;
  /** The envelope's `data`. */
  data: Record<string, unknown>;
  /** The event's time (envelope `time`). */
  time: Seconds;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDelivery extends NewWebhookDelivery {
  status: WebhookDeliveryStatus;
  /** Attempts made so far. */
  attempts: number;
  /** Milliseconds since the epoch. */
  nextAttemptAt: number | null;
  lastError: string | null;
  createdAt: Seconds;
  updatedAt: Seconds;
}

/** A due delivery taken by a sender, with what it needs to sign and post it. */
export interface ClaimedWebhookDelivery extends WebhookDelivery {
  url: string;
  secret: string;
}
