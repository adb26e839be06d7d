// GovernanceStore on SQLite: policies, rules, lists and their items, rule evaluations, daily
// counts, storage in use, and senders moved out of Junk. The JSON columns hold exactly what
// src/policy/validate.ts accepted; nothing here validates again.
import { randomUUID } from 'node:crypto';
import type { GovernanceStore, NewEvaluation, NewList, NewPolicy, NewRule } from '../store.js';
import type { List, ListItem, ListType, Policy, PolicyLimits, Rule, RuleEvaluation, SpamDetection } from '../../policy/types.js';
import type { Db } from './database.js';
import { type Write, nowSeconds } from './writer.js';

interface PolicyRow {
  id: string;
  application_id: string;
  name: string;
  limits: string;
  spam_detection: string;
  created_at: number;
  updated_at: number;
}

interface RuleRow {
  id: string;
  application_id: string;
  name: string;
  description: string | null;
  priority: number;
  enabled: number;
  trigger: Rule['trigger'];
  match: string;
  actions: string;
  created_at: number;
  updated_at: number;
}

interface ListRow {
  id: string;
  application_id: string;
  name: string;
  description: string | null;
  type: ListType;
  items_count: number;
  created_at: number;
  updated_at: number;
}

interface EvaluationRow {
  id: string;
  account_id: string;
  stage: RuleEvaluation['stage'];
  message_id: string | null;
  input: string;
  matched_rule_ids: string;
  applied_actions: string;
  error: string | null;
  evaluated_at: number;
  seq: number;
}

const toPolicy = (r: PolicyRow): Policy => ({
  id: r.id,
  applicationId: r.application_id,
  name: r.name,
  limits: JSON.parse(r.limits) as PolicyLimits,
  spamDetection: JSON.parse(r.spam_detection) as SpamDetection,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toRule = (r: RuleRow): Rule => ({
  id: r.id,
  applicationId: r.application_id,
  name: r.name,
  description: r.description,
  priority: r.priority,
  enabled: r.enabled === 1,
  trigger: r.trigger,
  match: JSON.parse(r.match) as Rule['match'],
  actions: JSON.parse(r.actions) as Rule['actions'],
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toList = (r: ListRow): List => ({
  id: r.id,
  applicationId: r.application_id,
  name: r.name,
  description: r.description,
  type: r.type,
  itemsCount: r.items_count,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toEvaluation = (r: EvaluationRow): RuleEvaluation & { seq: number } => ({
  id: r.id,
  accountId: r.account_id,
  stage: r.stage,
  messageId: r.message_id,
  input: JSON.parse(r.input) as RuleEvaluation['input'],
  matchedRuleIds: JSON.parse(r.matched_rule_ids) as string[],
  appliedActions: JSON.parse(r.applied_actions) as RuleEvaluation['appliedActions'],
  error: r.error,
  evaluatedAt: r.evaluated_at,
  seq: r.seq,
});

const LIST_SELECT = `SELECT l.*, (SELECT COUNT(*) FROM list_items i WHERE i.list_id = l.id) AS items_count FROM lists l`;

export class SqliteGovernance implements GovernanceStore {
  private evaluationSeq: number;

  constructor(
    private readonly db: Db,
    private readonly write: Write,
  ) {
    this.evaluationSeq = (db.prepare('SELECT COALESCE(MAX(seq), 0) AS n FROM rule_evaluations').get() as { n: number }).n;
  }

  // ---- policies ----

  createPolicy(p: NewPolicy): Policy {
    return this.write(() => {
      const now = nowSeconds();
      this.db
        .prepare('INSERT INTO policies (id, application_id, name, limits, spam_detection, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(p.id, p.applicationId, p.name, JSON.stringify(p.limits), JSON.stringify(p.spamDetection), now, now);
      return this.getPolicy(p.applicationId, p.id)!;
    });
  }

  listPolicies(applicationId: string): Policy[] {
    return (this.db.prepare('SELECT * FROM policies WHERE application_id = ? ORDER BY created_at, rowid').all(applicationId) as PolicyRow[]).map(toPolicy);
  }

  getPolicy(applicationId: string, id: string): Policy | undefined {
    const row = this.db.prepare('SELECT * FROM policies WHERE id = ? AND application_id = ?').get(id, applicationId) as PolicyRow | undefined;
    return row && toPolicy(row);
  }

  updatePolicy(p: Policy): Policy {
    return this.write(() => {
      this.db
        .prepare('UPDATE policies SET name = ?, limits = ?, spam_detection = ?, updated_at = ? WHERE id = ? AND application_id = ?')
        .run(p.name, JSON.stringify(p.limits), JSON.stringify(p.spamDetection), nowSeconds(), p.id, p.applicationId);
      return this.getPolicy(p.applicationId, p.id)!;
    });
  }

  deletePolicy(applicationId: string, id: string): boolean {
    return this.write(() => this.db.prepare('DELETE FROM policies WHERE id = ? AND application_id = ?').run(id, applicationId).changes > 0);
  }

  // ---- rules ----

  createRule(r: NewRule): Rule {
    return this.write(() => {
      const now = nowSeconds();
      this.db
        .prepare(
          `INSERT INTO rules (id, application_id, name, description, priority, enabled, trigger, match, actions, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(r.id, r.applicationId, r.name, r.description, r.priority, r.enabled ? 1 : 0, r.trigger, JSON.stringify(r.match), JSON.stringify(r.actions), now, now);
      return this.getRule(r.applicationId, r.id)!;
    });
  }

  listRules(applicationId: string): Rule[] {
    return (this.db.prepare('SELECT * FROM rules WHERE application_id = ? ORDER BY priority, created_at, rowid').all(applicationId) as RuleRow[]).map(toRule);
  }

  getRule(applicationId: string, id: string): Rule | undefined {
    const row = this.db.prepare('SELECT * FROM rules WHERE id = ? AND application_id = ?').get(id, applicationId) as RuleRow | undefined;
    return row && toRule(row);
  }

  rulesByIds(applicationId: string, ids: readonly string[]): Rule[] {
    if (ids.length === 0) return [];
    const rows = this.db
      .prepare(`SELECT * FROM rules WHERE application_id = ? AND id IN (SELECT value FROM json_each(?))`)
      .all(applicationId, JSON.stringify(ids)) as RuleRow[];
    return rows.map(toRule);
  }

  updateRule(r: Rule): Rule {
    return this.write(() => {
      this.db
        .prepare(
          `UPDATE rules SET name = ?, description = ?, priority = ?, enabled = ?, trigger = ?, match = ?, actions = ?, updated_at = ?
           WHERE id = ? AND application_id = ?`,
        )
        .run(r.name, r.description, r.priority, r.enabled ? 1 : 0, r.trigger, JSON.stringify(r.match), JSON.stringify(r.actions), nowSeconds(), r.id, r.applicationId);
      return this.getRule(r.applicationId, r.id)!;
    });
  }

  deleteRule(applicationId: string, id: string): { deleted: boolean; detachedFrom: number } {
    return this.write(() => {
      // Workspaces stop naming the rule in the same transaction: no dangling rule ids.
      const detached = this.db
        .prepare(
          `UPDATE workspaces SET rule_ids = (SELECT json_group_array(value) FROM json_each(workspaces.rule_ids) WHERE value <> ?), updated_at = ?
           WHERE application_id = ? AND EXISTS (SELECT 1 FROM json_each(workspaces.rule_ids) WHERE value = ?)`,
        )
        .run(id, nowSeconds(), applicationId, id).changes;
      const deleted = this.db.prepare('DELETE FROM rules WHERE id = ? AND application_id = ?').run(id, applicationId).changes > 0;
      return { deleted, detachedFrom: deleted ? detached : 0 };
    });
  }

  // ---- lists ----

  createList(l: NewList): List {
    return this.write(() => {
      const now = nowSeconds();
      this.db
        .prepare('INSERT INTO lists (id, application_id, name, description, type, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(l.id, l.applicationId, l.name, l.description, l.type, now, now);
      return this.getList(l.applicationId, l.id)!;
    });
  }

  listLists(applicationId: string): List[] {
    return (this.db.prepare(`${LIST_SELECT} WHERE l.application_id = ? ORDER BY l.created_at, l.rowid`).all(applicationId) as ListRow[]).map(toList);
  }

  getList(applicationId: string, id: string): List | undefined {
    const row = this.db.prepare(`${LIST_SELECT} WHERE l.id = ? AND l.application_id = ?`).get(id, applicationId) as ListRow | undefined;
    return row && toList(row);
  }

  updateList(l: Pick<List, 'id' | 'applicationId' | 'name' | 'description'>): List {
    return this.write(() => {
      this.db
        .prepare('UPDATE lists SET name = ?, description = ?, updated_at = ? WHERE id = ? AND application_id = ?')
        .run(l.name, l.description, nowSeconds(), l.id, l.applicationId);
      return this.getList(l.applicationId, l.id)!;
    });
  }

  deleteList(applicationId: string, id: string): boolean {
    return this.write(() => this.db.prepare('DELETE FROM lists WHERE id = ? AND application_id = ?').run(id, applicationId).changes > 0);
  }

  addListItems(listId: string, values: readonly string[]): number {
    return this.write(() => {
      const now = nowSeconds();
      const insert = this.db.prepare('INSERT INTO list_items (list_id, value, id, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');
      let added = 0;
      for (const v of values) added += insert.run(listId, v, randomUUID(), now).changes;
      if (added > 0) this.db.prepare('UPDATE lists SET updated_at = ? WHERE id = ?').run(now, listId);
      return added;
    });
  }

  removeListItems(listId: string, values: readonly string[]): number {
    return this.write(() => {
      const remove = this.db.prepare('DELETE FROM list_items WHERE list_id = ? AND value = ?');
      let removed = 0;
      for (const v of values) removed += remove.run(listId, v).changes;
      if (removed > 0) this.db.prepare('UPDATE lists SET updated_at = ? WHERE id = ?').run(nowSeconds(), listId);
      return removed;
    });
  }

  listItems(listId: string, after: string | null, limit: number): ListItem[] {
    return (
      this.db
        .prepare('SELECT id, list_id, value, created_at FROM list_items WHERE list_id = ? AND value > ? ORDER BY value LIMIT ?')
        .all(listId, after ?? '', limit) as { id: string; list_id: string; value: string; created_at: number }[]
    ).map((r) => ({ id: r.id, listId: r.list_id, value: r.value, createdAt: r.created_at }));
  }

  allListItems(listId: string): string[] {
    return (this.db.prepare('SELECT value FROM list_items WHERE list_id = ?').all(listId) as { value: string }[]).map((r) => r.value);
  }

  // ---- evaluations ----

  recordEvaluation(e: NewEvaluation): RuleEvaluation {
    return this.write(() => {
      const seq = ++this.evaluationSeq;
      this.db
        .prepare(
          `INSERT INTO rule_evaluations (id, account_id, stage, message_id, input, matched_rule_ids, applied_actions, error, evaluated_at, seq)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(e.id, e.accountId, e.stage, e.messageId, JSON.stringify(e.input), JSON.stringify(e.matchedRuleIds), JSON.stringify(e.appliedActions), e.error, e.evaluatedAt, seq);
      return { ...e };
    });
  }

  listEvaluations(accountId: string, beforeSeq: number | null, limit: number): (RuleEvaluation & { seq: number })[] {
    const rows = this.db
      .prepare('SELECT * FROM rule_evaluations WHERE account_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?')
      .all(accountId, beforeSeq ?? Number.MAX_SAFE_INTEGER, limit) as EvaluationRow[];
    return rows.map(toEvaluation);
  }

  pruneEvaluations(olderThan: number, limit: number): number {
    return this.write(
      () =>
        this.db
          .prepare('DELETE FROM rule_evaluations WHERE id IN (SELECT id FROM rule_evaluations WHERE evaluated_at < ? ORDER BY evaluated_at LIMIT ?)')
          .run(olderThan, limit).changes,
    );
  }

  // ---- counts and usage ----

  dailyCounts(accountId: string, day: string): { sent: number; received: number } {
    const row = this.db.prepare('SELECT sent, received FROM daily_counts WHERE account_id = ? AND day = ?').get(accountId, day) as
      | { sent: number; received: number }
      | undefined;
    return row ?? { sent: 0, received: 0 };
  }

  addDailyCount(accountId: string, day: string, kind: 'sent' | 'received', n: number): void {
    const column = kind === 'sent' ? 'sent' : 'received';
    this.write(() => {
      this.db
        .prepare(
          `INSERT INTO daily_counts (account_id, day, ${column}) VALUES (?, ?, MAX(?, 0))
           ON CONFLICT (account_id, day) DO UPDATE SET ${column} = MAX(${column} + ?, 0)`,
        )
        .run(accountId, day, n, n);
    });
  }

  storageUsed(accountId: string): number {
    return (this.db.prepare('SELECT COALESCE(SUM(size), 0) AS n FROM messages WHERE account_id = ?').get(accountId) as { n: number }).n;
  }

  // ---- Junk memory ----

  rememberNotJunk(accountId: string, address: string): void {
    this.write(() => {
      this.db
        .prepare('INSERT INTO not_junk_senders (account_id, address, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING')
        .run(accountId, address.toLowerCase(), nowSeconds());
    });
  }

  isNotJunk(accountId: string, address: string): boolean {
    return this.db.prepare('SELECT 1 FROM not_junk_senders WHERE account_id = ? AND address = ?').get(accountId, address.toLowerCase()) !== undefined;
  }
}
