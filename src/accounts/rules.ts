// Rules: a match on sender, recipients and outbound type, and the actions to take (PRODUCT.md
// "Rules"). Input is validated by src/policy/validate.ts, `in_list` conditions against the
// application's own lists; an update replaces the fields it names (a match or actions array
// wholly) and the result is checked again as a whole. Deleting a rule takes it off every
// workspace that named it.
import { randomUUID } from 'node:crypto';
import { NotFoundError } from '../errors.js';
import { checkRuleConsistency, parseRuleInput } from '../policy/validate.js';
import type { Rule } from '../policy/types.js';
import type { Store } from '../store/store.js';

export class RuleService {
  constructor(private readonly store: Store) {}

  private resolveList(applicationId: string) {
    return (id: string) => this.store.governance.getList(applicationId, id);
  }

  create(applicationId: string, input: unknown): Rule {
    const parsed = parseRuleInput(input, 'create', this.resolveList(applicationId));
    const rule = {
      id: randomUUID(),
      applicationId,
      name: parsed.name!,
      description: parsed.description ?? null,
      priority: parsed.priority ?? 10,
      enabled: parsed.enabled ?? true,
      trigger: parsed.trigger ?? 'inbound',
      match: parsed.match!,
      actions: parsed.actions!,
    };
    checkRuleConsistency(rule, this.resolveList(applicationId));
    return this.store.governance.createRule(rule);
  }

  list(applicationId: string): Rule[] {
    return this.store.governance.listRules(applicationId);
  }

  get(applicationId: string, id: string): Rule {
    const rule = this.store.governance.getRule(applicationId, id);
    if (!rule) throw new NotFoundError(`rule ${id} not found in this application`);
    return rule;
  }

  update(applicationId: string, id: string, input: unknown): Rule {
    const current = this.get(applicationId, id);
    const parsed = parseRuleInput(input, 'update', this.resolveList(applicationId));
    const next: Rule = {
      ...current,
      ...(parsed.name !== undefined ? { name: parsed.name } : {}),
      ...(parsed.description !== undefined ? { description: parsed.description } : {}),
      ...(parsed.priority !== undefined ? { priority: parsed.priority } : {}),
      ...(parsed.enabled !== undefined ? { enabled: parsed.enabled } : {}),
      ...(parsed.trigger !== undefined ? { trigger: parsed.trigger } : {}),
      ...(parsed.match !== undefined ? { match: parsed.match } : {}),
      ...(parsed.actions !== undefined ? { actions: parsed.actions } : {}),
    };
    checkRuleConsistency(next, this.resolveList(applicationId));
    return this.store.governance.updateRule(next);
  }

  /** An account's rule evaluations, newest first; `beforeSeq` continues a page. */
  evaluations(accountId: string, beforeSeq: number | null, limit: number) {
    return this.store.governance.listEvaluations(accountId, beforeSeq, limit);
  }

  delete(applicationId: string, id: string): { rule: Rule; detachedFrom: number } {
    const rule = this.get(applicationId, id);
    const { detachedFrom } = this.store.governance.deleteRule(applicationId, id);
    return { rule, detachedFrom };
  }
}
