// Versioned schema migrations, applied in order at open inside one IMMEDIATE transaction
// each. `PRAGMA user_version` holds the version reached; `schema_migrations` keeps a log.
// Never edit a migration that has shipped: add the next one.

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'directory, mailboxes, messages, outbound queue, events outbox',
    sql: `
CREATE TABLE schema_migrations (
  version    INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  applied_at INTEGER NOT NULL
);

-- Monotonic counters (UIDVALIDITY values are drawn from one so that a re-created folder
-- never repeats an old value, RFC 3501 §2.3.1.1).
CREATE TABLE counters (
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE organization (
  id            TEXT PRIMARY KEY,
  singleton     INTEGER NOT NULL DEFAULT 1 UNIQUE CHECK (singleton = 1),
  name          TEXT NOT NULL,
  contact_email TEXT,
  require_mfa   INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);

CREATE TABLE applications (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL COLLATE NOCASE UNIQUE,
  is_default INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX applications_one_default ON applications (is_default) WHERE is_default = 1;

CREATE TABLE domains (
  id               TEXT PRIMARY KEY,
  name             TEXT NOT NULL UNIQUE,
  dkim_selector    TEXT NOT NULL,
  dkim_private_key TEXT NOT NULL,
  dkim_public_key  TEXT NOT NULL,
  ownership_token  TEXT NOT NULL,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
);

CREATE TABLE domain_record_checks (
  domain_id  TEXT NOT NULL REFERENCES domains (id) ON DELETE CASCADE,
  record     TEXT NOT NULL,
  status     TEXT NOT NULL CHECK (status IN ('verified', 'unverified')),
  reason     TEXT,
  checked_at INTEGER NOT NULL,
  PRIMARY KEY (domain_id, record)
) WITHOUT ROWID;

CREATE TABLE workspaces (
  id             TEXT PRIMARY KEY,
  application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
  name           TEXT NOT NULL COLLATE NOCASE,
  domain         TEXT,
  auto_group     INTEGER NOT NULL DEFAULT 0,
  is_default     INTEGER NOT NULL DEFAULT 0,
  policy_id      TEXT,
  rule_ids       TEXT NOT NULL DEFAULT '[]',
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  UNIQUE (application_id, name)
);
CREATE UNIQUE INDEX workspaces_one_default ON workspaces (application_id) WHERE is_default = 1;
CREATE UNIQUE INDEX workspaces_auto_group ON workspaces (application_id, domain) WHERE auto_group = 1;

CREATE TABLE accounts (
  id             TEXT PRIMARY KEY,
  application_id TEXT NOT NULL REFERENCES applications (id),
  workspace_id   TEXT NOT NULL REFERENCES workspaces (id),
  domain_id      TEXT NOT NULL REFERENCES domains (id),
  email          TEXT NOT NULL COLLATE NOCASE UNIQUE,
  name           TEXT,
  password_hash  TEXT,
  grant_status   TEXT NOT NULL DEFAULT 'valid' CHECK (grant_status IN ('valid', 'invalid')),
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);
CREATE INDEX accounts_application ON accounts (application_id);
CREATE INDEX accounts_workspace ON accounts (workspace_id);
CREATE INDEX accounts_domain ON accounts (domain_id);

-- Mailboxes. uid_next and highest_modseq advance inside the transaction that adds or
-- changes a message, so UIDs are strictly ascending per folder (RFC 3501 §2.3.1.1) and
-- MODSEQs per folder (RFC 7162 §3.1.1).
CREATE TABLE folders (
  id             INTEGER PRIMARY KEY,
  account_id     TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  name           TEXT NOT NULL,
  special_use    TEXT,
  uid_validity   INTEGER NOT NULL,
  uid_next       INTEGER NOT NULL DEFAULT 1,
  highest_modseq INTEGER NOT NULL DEFAULT 1,
  subscribed     INTEGER NOT NULL DEFAULT 1,
  created_at     INTEGER NOT NULL,
  UNIQUE (account_id, name)
);

-- Message bytes exactly as received, shared by the copies of one message (IMAP COPY, the
-- outbound queue) and removed when nothing refers to them any more.
CREATE TABLE bodies (
  id      INTEGER PRIMARY KEY,
  size    INTEGER NOT NULL,
  sha256  TEXT NOT NULL,
  content BLOB NOT NULL
);

CREATE TABLE messages (
  id             INTEGER PRIMARY KEY,
  account_id     TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  folder_id      INTEGER NOT NULL REFERENCES folders (id) ON DELETE CASCADE,
  uid            INTEGER NOT NULL,
  modseq         INTEGER NOT NULL,
  body_id        INTEGER NOT NULL REFERENCES bodies (id),
  internal_date  INTEGER NOT NULL,
  size           INTEGER NOT NULL,
  seen           INTEGER NOT NULL DEFAULT 0,
  answered       INTEGER NOT NULL DEFAULT 0,
  flagged        INTEGER NOT NULL DEFAULT 0,
  deleted        INTEGER NOT NULL DEFAULT 0,
  draft          INTEGER NOT NULL DEFAULT 0,
  recent         INTEGER NOT NULL DEFAULT 1,
  keywords       TEXT NOT NULL DEFAULT '[]',
  subject        TEXT,
  -- Parsed once at delivery, never re-parsed on FETCH (filled by the delivery pipeline).
  envelope       TEXT,
  body_structure TEXT,
  summary        TEXT,
  created_at     INTEGER NOT NULL,
  UNIQUE (folder_id, uid)
);
CREATE INDEX messages_folder_modseq ON messages (folder_id, modseq);
CREATE INDEX messages_account ON messages (account_id);
CREATE INDEX messages_body ON messages (body_id);

-- UIDs expunged from a folder with the MODSEQ of the expunge (RFC 7162 QRESYNC VANISHED).
CREATE TABLE expunged (
  folder_id INTEGER NOT NULL REFERENCES folders (id) ON DELETE CASCADE,
  uid       INTEGER NOT NULL,
  modseq    INTEGER NOT NULL,
  PRIMARY KEY (folder_id, uid)
) WITHOUT ROWID;

-- One row per remote recipient of a submitted message.
CREATE TABLE outbound_queue (
  id              TEXT PRIMARY KEY,
  application_id  TEXT,
  account_id      TEXT REFERENCES accounts (id) ON DELETE SET NULL,
  body_id         INTEGER NOT NULL REFERENCES bodies (id),
  mail_from       TEXT NOT NULL,
  rcpt_to         TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('queued', 'held', 'sending', 'delivered', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  last_attempt_at INTEGER,
  last_error      TEXT,
  expires_at      INTEGER NOT NULL,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE INDEX outbound_queue_due ON outbound_queue (status, next_attempt_at);

-- Events outbox: written in the transaction of the change, read by the webhook sender.
CREATE TABLE events (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  type           TEXT NOT NULL,
  application_id TEXT,
  account_id     TEXT,
  object         TEXT NOT NULL,
  created_at     INTEGER NOT NULL
);
`,
  },
  {
    version: 2,
    name: 'outbound queue: DSN parameters, Message-ID, size; bodies released once delivered',
    // No release wrote to outbound_queue before this version, so it is rebuilt rather than copied.
    sql: `
DROP TABLE outbound_queue;
CREATE TABLE outbound_queue (
  id              TEXT PRIMARY KEY,
  application_id  TEXT,
  account_id      TEXT REFERENCES accounts (id) ON DELETE SET NULL,
  -- NULL once the entry is finished (delivered or failed): the bytes are no longer needed.
  body_id         INTEGER REFERENCES bodies (id),
  mail_from       TEXT NOT NULL,
  rcpt_to         TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('queued', 'held', 'sending', 'delivered', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  last_attempt_at INTEGER,
  last_error      TEXT,
  expires_at      INTEGER NOT NULL,
  message_id      TEXT,
  size            INTEGER NOT NULL,
  dsn             TEXT,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE INDEX outbound_queue_due ON outbound_queue (status, next_attempt_at);
CREATE INDEX outbound_queue_body ON outbound_queue (body_id);
`,
  },
  {
    version: 3,
    name: 'folders: \\Noselect placeholders for deleted parents of existing children',
    sql: `
-- RFC 3501 §6.3.4: deleting a mailbox must not remove its inferiors; it stays as a name
-- without messages (\\Noselect) until the last child goes.
ALTER TABLE folders ADD COLUMN noselect INTEGER NOT NULL DEFAULT 0;
`,
  },
  {
    version: 4,
    name: 'events: the process that wrote each one',
    sql: `
-- Lets a running server pick up changes another process (the CLI) made — a reset app
-- password must end the account's IMAP sessions even when the CLI reset it.
ALTER TABLE events ADD COLUMN origin TEXT;
`,
  },
  {
    version: 5,
    name: 'subscriptions: a list of names, apart from the mailboxes',
    sql: `
-- RFC 3501 §6.3.6: the server "MUST NOT unilaterally remove an existing mailbox name from the
-- subscription list even if a mailbox by that name no longer exists", so a subscription is a
-- name of its own that outlives DELETE (LIST (SUBSCRIBED) shows it \\NonExistent, RFC 5258).
CREATE TABLE subscriptions (
  account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  name       TEXT NOT NULL,
  PRIMARY KEY (account_id, name)
) WITHOUT ROWID;
INSERT INTO subscriptions (account_id, name) SELECT account_id, name FROM folders WHERE subscribed = 1;
ALTER TABLE folders DROP COLUMN subscribed;
`,
  },
  {
    version: 6,
    name: 'messages: partial indexes for \\Recent and unseen messages',
    sql: `
-- SELECT claims \\Recent and finds the first unseen message; on a large folder where both are
-- few, these keep it from reading every row.
CREATE INDEX messages_recent ON messages (folder_id, uid) WHERE recent = 1;
CREATE INDEX messages_unseen ON messages (folder_id, uid) WHERE seen = 0;
`,
  },
  {
    version: 7,
    name: 'API keys: bearer tokens of an application, stored hashed',
    sql: `
-- A key is shown once; only its SHA-256 is kept (keys are 256-bit random, so a fast hash is
-- enough — bcrypt is for low-entropy passwords). The prefix names the key in lists.
CREATE TABLE api_keys (
  id             TEXT PRIMARY KEY,
  application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
  name           TEXT NOT NULL,
  prefix         TEXT NOT NULL,
  hash           TEXT NOT NULL UNIQUE,
  created_at     INTEGER NOT NULL,
  last_used_at   INTEGER,
  revoked_at     INTEGER
);
CREATE INDEX api_keys_application ON api_keys (application_id);
`,
  },
  {
    version: 8,
    name: 'messages: API id that survives moves, thread id, Message-ID column',
    sql: `
-- public_id is the message's REST API id: a MOVE carries it to the new row (a COPY gets a new
-- one), so it stays the same while the row id and UID change. Not unique: during a MOVE the
-- copy and the original exist side by side inside one transaction.
ALTER TABLE messages ADD COLUMN public_id TEXT;
-- A conversation: messages linked by Message-ID, In-Reply-To and References share one.
ALTER TABLE messages ADD COLUMN thread_id TEXT;
-- The Message-ID field, for threading lookups (also kept in the summary).
ALTER TABLE messages ADD COLUMN message_id TEXT;
UPDATE messages SET public_id = lower(hex(randomblob(8))), thread_id = lower(hex(randomblob(8))),
  message_id = json_extract(summary, '$.messageId');
-- Rows stored before this version share a thread only when they share a Message-ID (their
-- summaries kept no References).
UPDATE messages SET thread_id = (
  SELECT m.thread_id FROM messages m WHERE m.account_id = messages.account_id AND m.message_id = messages.message_id ORDER BY m.id LIMIT 1
) WHERE message_id IS NOT NULL;
CREATE INDEX messages_public_id ON messages (account_id, public_id);
CREATE INDEX messages_message_id ON messages (account_id, message_id);
CREATE INDEX messages_thread ON messages (account_id, thread_id);
-- The API lists an account's messages newest first: (internal_date DESC, id DESC).
CREATE INDEX messages_account_date ON messages (account_id, internal_date, id);
CREATE INDEX messages_folder_date ON messages (folder_id, internal_date, id);
`,
  },
  {
    version: 9,
    name: 'webhooks: endpoints of an application, durable deliveries, the fan-out cursor',
    sql: `
-- The secret is a signing key (HMAC-SHA256 of every body), so it is kept as is, not hashed.
-- since_event_id: the newest event when the webhook was created; it hears only of later ones.
CREATE TABLE webhooks (
  id                  TEXT PRIMARY KEY,
  application_id      TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
  description         TEXT,
  url                 TEXT NOT NULL,
  trigger_types       TEXT NOT NULL,
  secret              TEXT NOT NULL,
  status              TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'failing', 'failed', 'pause')),
  notification_emails TEXT NOT NULL DEFAULT '[]',
  since_event_id      INTEGER NOT NULL,
  status_updated_at   INTEGER NOT NULL,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL
);
CREATE INDEX webhooks_application ON webhooks (application_id);

-- One event for one webhook. next_attempt_at is in milliseconds (retries start seconds apart);
-- a claimed delivery's next_attempt_at is the end of its lease.
CREATE TABLE webhook_deliveries (
  id              TEXT PRIMARY KEY,
  webhook_id      TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  event_id        INTEGER NOT NULL,
  type            TEXT NOT NULL,
  data            TEXT NOT NULL,
  time            INTEGER NOT NULL,
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  last_error      TEXT,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_finished ON webhook_deliveries (status, updated_at);

-- The last event fanned out: events before it are not sent to webhooks made later.
INSERT INTO counters (name, value) SELECT 'webhooks.cursor', COALESCE(MAX(id), 0) FROM events;
CREATE INDEX events_created ON events (created_at);
`,
  },
  {
    version: 10,
    name: 'messages: header text for SEARCH, the sent day, and indexes for large folders',
    sql: `
-- SEARCH FROM/TO/CC/BCC/SUBJECT and SENTBEFORE/SENTON/SENTSINCE run in SQL over these instead of
-- reading every message (RFC 3501 §6.4.4). Each holds the field's decoded, case-folded values,
-- each value after a newline ('' when the message has no such field); sent_day is the Date
-- field's day in its own zone as YYYYMMDD. NULL search_subject: not computed yet (rows stored
-- before this version); the server fills them in the background, and SEARCH reads those
-- messages themselves meanwhile.
ALTER TABLE messages ADD COLUMN search_from TEXT;
ALTER TABLE messages ADD COLUMN search_to TEXT;
ALTER TABLE messages ADD COLUMN search_cc TEXT;
ALTER TABLE messages ADD COLUMN search_bcc TEXT;
ALTER TABLE messages ADD COLUMN search_subject TEXT;
ALTER TABLE messages ADD COLUMN sent_day INTEGER;
CREATE INDEX messages_search_pending ON messages (id) WHERE search_subject IS NULL;
-- What was expunged after a MODSEQ (QRESYNC, and the in-memory folder index catching up),
-- without reading every UID the folder ever expunged.
CREATE INDEX expunged_modseq ON expunged (folder_id, modseq);
-- The keywords in use in a folder (SELECT's FLAGS), without reading every row.
CREATE INDEX messages_keywords ON messages (folder_id) WHERE keywords <> '[]';
-- Every account_id lookup is served by the indexes that start with it (public_id, message_id,
-- thread, date); one index less to update per message stored.
DROP INDEX messages_account;
-- A body that is another under a few more header fields (a submission's local and relayed
-- copies: its Sent copy under trace fields) keeps only that prefix in content, and its base.
ALTER TABLE bodies ADD COLUMN base_id INTEGER REFERENCES bodies (id);
CREATE INDEX bodies_base ON bodies (base_id) WHERE base_id IS NOT NULL;
`,
  },
  {
    version: 11,
    name: 'governance: policies, rules, lists, rule evaluations, daily counts, senders moved out of Junk',
    sql: `
-- Policies, rules and lists of an application (PRODUCT.md "Policies", "Rules"). Limits, spam
-- settings, a rule's match and its actions are kept as the JSON the API speaks, validated on
-- the way in (src/policy/validate.ts). Workspaces name them (workspaces.policy_id, rule_ids).
CREATE TABLE policies (
  id             TEXT PRIMARY KEY,
  application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
  name           TEXT NOT NULL,
  limits         TEXT NOT NULL DEFAULT '{}',
  spam_detection TEXT NOT NULL DEFAULT '{}',
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);
CREATE INDEX policies_application ON policies (application_id);

CREATE TABLE rules (
  id             TEXT PRIMARY KEY,
  application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
  name           TEXT NOT NULL,
  description    TEXT,
  priority       INTEGER NOT NULL DEFAULT 10 CHECK (priority BETWEEN 0 AND 1000),
  enabled        INTEGER NOT NULL DEFAULT 1,
  trigger        TEXT NOT NULL CHECK (trigger IN ('inbound', 'outbound')),
  match          TEXT NOT NULL,
  actions        TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);
CREATE INDEX rules_application ON rules (application_id);

CREATE TABLE lists (
  id             TEXT PRIMARY KEY,
  application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
  name           TEXT NOT NULL,
  description    TEXT,
  type           TEXT NOT NULL CHECK (type IN ('address', 'domain', 'tld')),
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);
CREATE INDEX lists_application ON lists (application_id);

-- Items are lower case and unique per list.
CREATE TABLE list_items (
  list_id    TEXT NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
  value      TEXT NOT NULL,
  id         TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (list_id, value)
) WITHOUT ROWID;

-- Every evaluation of an account's rules: its stage, what it saw, what matched, what was done.
CREATE TABLE rule_evaluations (
  id               TEXT PRIMARY KEY,
  account_id       TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  stage            TEXT NOT NULL CHECK (stage IN ('smtp_rcpt', 'inbox_processing', 'outbound_send')),
  message_id       TEXT,
  input            TEXT NOT NULL,
  matched_rule_ids TEXT NOT NULL,
  applied_actions  TEXT NOT NULL,
  error            TEXT,
  evaluated_at     INTEGER NOT NULL,
  seq              INTEGER NOT NULL
);
CREATE INDEX rule_evaluations_account ON rule_evaluations (account_id, seq);
CREATE INDEX rule_evaluations_time ON rule_evaluations (evaluated_at);

-- Messages sent and received per account and UTC day (limit_count_daily_*).
CREATE TABLE daily_counts (
  account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  day        TEXT NOT NULL,
  sent       INTEGER NOT NULL DEFAULT 0,
  received   INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (account_id, day)
) WITHOUT ROWID;

-- Senders whose mail the account's user moved out of Junk ($NotJunk): not Junk again.
CREATE TABLE not_junk_senders (
  account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  address    TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, address)
) WITHOUT ROWID;

-- An account's storage in use (limit_storage_total, QUOTA) from an index alone: the API's
-- date-ordered index of an account's messages carries their sizes too (one index, not two, to
-- update per message stored).
DROP INDEX messages_account_date;
CREATE INDEX messages_account_date ON messages (account_id, internal_date, id, size);
`,
  },
  {
    version: 12,
    name: 'dashboard: team members, their sessions, MFA and recovery codes, invitations, activity log',
    sql: `
-- Team members sign in to the web dashboard (issue 9). The password is kept only as a bcrypt
-- hash. totp_secret is the base32 TOTP key (RFC 6238): a signing key, so kept as is, never
-- returned or logged; set with totp_enabled = 0 while an enrolment waits for its first code.
-- totp_last_step is the time step of the last code accepted: a code of that step or an earlier
-- one is refused (no replay, RFC 6238 §5.2).
CREATE TABLE users (
  id              TEXT PRIMARY KEY,
  email           TEXT NOT NULL COLLATE NOCASE UNIQUE,
  name            TEXT NOT NULL,
  password_hash   TEXT NOT NULL,
  role            TEXT NOT NULL CHECK (role IN ('admin', 'member')),
  totp_secret     TEXT,
  totp_enabled    INTEGER NOT NULL DEFAULT 0,
  totp_last_step  INTEGER,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  last_sign_in_at INTEGER
);

-- Single-use recovery codes (80 random bits each, so a SHA-256 suffices), shown once.
CREATE TABLE user_recovery_codes (
  user_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash TEXT NOT NULL,
  used_at   INTEGER,
  PRIMARY KEY (user_id, code_hash)
) WITHOUT ROWID;

-- Server-side sessions. id is the SHA-256 of the cookie's token: the token itself is never
-- stored. mfa_passed = 0: the password was right, the TOTP code is still to come.
-- must_enrol = 1: signed in while the organization requires MFA and the member has none;
-- the session can do nothing but enrol.
CREATE TABLE sessions (
  id           TEXT PRIMARY KEY,
  user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  mfa_passed   INTEGER NOT NULL DEFAULT 0,
  must_enrol   INTEGER NOT NULL DEFAULT 0,
  csrf_token   TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- An invitation's link carries a 256-bit token; only its SHA-256 is kept. Re-sending replaces
-- the hash, so the old link is dead.
CREATE TABLE invitations (
  id          TEXT PRIMARY KEY,
  email       TEXT NOT NULL COLLATE NOCASE,
  name        TEXT NOT NULL,
  role        TEXT NOT NULL CHECK (role IN ('admin', 'member')),
  token_hash  TEXT NOT NULL UNIQUE,
  invited_by  TEXT REFERENCES users (id) ON DELETE SET NULL,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  accepted_at INTEGER
);
CREATE INDEX invitations_email ON invitations (email);

-- Who changed what: a team member, an API key or the CLI. actor_label keeps the member's
-- email (or the key's name) as it was, so the entry still reads after the actor is gone.
CREATE TABLE activity_log (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  at          INTEGER NOT NULL,
  actor_type  TEXT NOT NULL CHECK (actor_type IN ('user', 'api_key', 'cli')),
  actor_id    TEXT,
  actor_label TEXT,
  action      TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id   TEXT,
  detail      TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX activity_log_at ON activity_log (at);

-- The organization row has its name, contact email and "require MFA" switch since version 1;
-- the dashboard adds the agent account that invitations and other system mail are sent from.
ALTER TABLE organization ADD COLUMN system_account_email TEXT;
`,
  },
  {
    version: 13,
    name: 'header search covering index',
    sql: `
-- SEARCH FROM/TO/CC/BCC/SUBJECT (RFC 3501 §6.4.4) scans a folder's rows for a substring of the
-- header text. The rows also carry ENVELOPE, BODYSTRUCTURE and the summary, so a scan of the
-- table reads ~2 KB per message and, past the page cache, grows faster than the folder (100k
-- messages: 168 ms). This index holds just what the scan reads: 13 ms for the same folder.
CREATE INDEX messages_search_headers ON messages (folder_id, uid, search_subject, search_from, search_to, search_cc, search_bcc);
`,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
