// Governance as types: policies (limits, spam settings), rules (match → actions), lists (typed
// sets that rules refer to), and what one evaluation takes in and gives out. Field names follow
// the hosted service (PRODUCT.md "Policies", "Rules"); the store keeps these shapes as they are.

/** The limits of a policy. `-1` is unlimited; an absent field means the installation default. */
export interface PolicyLimits {
  /** Bytes, per attachment. */
  limit_attachment_size_limit?: number;
  /** Attachments per message. */
  limit_attachment_count_limit?: number;
  /** MIME types an attachment may have; `image/*` allows a whole top-level type. */
  limit_attachment_allowed_types?: string[];
  /** Bytes per message, the whole MIME message. */
  limit_size_total_mime?: number;
  /** Bytes per account, every stored message. */
  limit_storage_total?: number;
  /** Messages received per account and UTC day. */
  limit_count_daily_message_received?: number;
  /** Messages sent per account and UTC day. */
  limit_count_daily_email_sent?: number;
  /** Days INBOX mail is kept. */
  limit_inbox_retention_period?: number;
  /** Days Junk mail is kept; must be below the inbox retention. */
  limit_spam_retention_period?: number;
}

export type LimitName = keyof PolicyLimits;

export interface SpamDetection {
  use_list_dnsbl?: boolean;
  use_header_anomaly_detection?: boolean;
  /** 0.1 (lenient) – 5.0 (strict); 1.0 when absent. */
  spam_sensitivity?: number;
}

export interface Policy {
  id: string;
  applicationId: string;
  name: string;
  limits: PolicyLimits;
  spamDetection: SpamDetection;
  createdAt: number;
  updatedAt: number;
}

export type RuleTrigger = 'inbound' | 'outbound';

export type ConditionField =
  | 'from.address'
  | 'from.domain'
  | 'from.tld'
  | 'recipient.address'
  | 'recipient.domain'
  | 'recipient.tld'
  | 'outbound.type';

export type ConditionOperator = 'is' | 'is_not' | 'contains' | 'in_list';

export interface Condition {
  field: ConditionField;
  operator: ConditionOperator;
  /** A string; for `in_list`, the ids of one or more lists (the hosted API sends an array). */
  value: string | string[];
}

export interface RuleMatch {
  operator: 'all' | 'any';
  conditions: Condition[];
}

export type ActionType =
  | 'block'
  | 'mark_as_spam'
  | 'assign_to_folder'
  | 'mark_as_read'
  | 'mark_as_starred'
  | 'archive'
  | 'trash';

export interface RuleAction {
  type: ActionType;
  /** `assign_to_folder` only: the folder's name or path. */
  value?: string;
}

export interface Rule {
  id: string;
  applicationId: string;
  name: string;
  description: string | null;
  /** 0–1000, lower first. */
  priority: number;
  enabled: boolean;
  trigger: RuleTrigger;
  match: RuleMatch;
  actions: RuleAction[];
  createdAt: number;
  updatedAt: number;
}

export type ListType = 'address' | 'domain' | 'tld';

export interface List {
  id: string;
  applicationId: string;
  name: string;
  description: string | null;
  type: ListType;
  itemsCount: number;
  createdAt: number;
  updatedAt: number;
}

export interface ListItem {
  id: string;
  listId: string;
  /** Lower case, validated against the list's type. */
  value: string;
  createdAt: number;
}

/** Where in a message's life rules run. */
export type Stage = 'smtp_rcpt' | 'inbox_processing' | 'outbound_send';

/** What the evaluator sees of a message. Addresses are lower case. */
export interface MessageContext {
  stage: Stage;
  /** The sender: the From address for inbound mail, the account for outbound. */
  from: string;
  recipients: string[];
  /** Outbound only: a new message or a reply. */
  outboundType?: 'compose' | 'reply';
  /** Bytes; unknown at RCPT time. */
  size?: number;
  attachments?: { filename: string | null; contentType: string; size: number }[];
}

/** A list's items as the evaluator needs them: a set of lower-case values. */
export interface ListItems {
  type: ListType;
  items: ReadonlySet<string>;
}

export interface Decision {
  /** Rule ids whose match held, in the order they ran. */
  matchedRuleIds: string[];
  /** The actions to apply, in order; a `block` is alone. */
  actions: RuleAction[];
  blocked: boolean;
}

/** What was done, as the hosted API reports it: only the keys of actions that were applied. */
export interface AppliedActions {
  blocked?: true;
  marked_as_spam?: true;
  marked_as_read?: true;
  marked_starred?: true;
  archived?: true;
  trashed?: true;
  /** The folders the message was filed in (API folder ids). */
  folder_ids?: string[];
}

export interface RuleEvaluation {
  id: string;
  accountId: string;
  stage: Stage;
  /** The stored message (REST API id) the evaluation acted on; null when none was stored. */
  messageId: string | null;
  input: MessageContext;
  matchedRuleIds: string[];
  appliedActions: AppliedActions;
  /** Set when evaluation failed and the message was refused (fail closed). */
  error: string | null;
  evaluatedAt: number;
}
