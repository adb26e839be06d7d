// The API (and CLI --json) objects of policies, rules, lists and rule evaluations, shaped like the
// hosted v3 API's (field names, applied actions as a set of flags; workspaces are in views.ts). Timestamps are Unix seconds.
import type { List, ListItem, Policy, Rule, RuleEvaluation } from '../policy/types.js';

const tldOf = (domain: string): string => domain.slice(domain.lastIndexOf('.') + 1);
const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1);

export function policyView(p: Policy): Record<string, unknown> {
  return {
    id: p.id,
    application_id: p.applicationId,
    name: p.name,
    limits: p.limits,
    spam_detection: {
      use_list_dnsbl: p.spamDetection.use_list_dnsbl ?? false,
      use_header_anomaly_detection: p.spamDetection.use_header_anomaly_detection ?? false,
      spam_sensitivity: p.spamDetection.spam_sensitivity ?? 1,
    },
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  };
}

export function ruleView(r: Rule): Record<string, unknown> {
  return {
    id: r.id,
    application_id: r.applicationId,
    name: r.name,
    description: r.description,
    priority: r.priority,
    enabled: r.enabled,
    trigger: r.trigger,
    match: r.match,
    actions: r.actions,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  };
}

export function listView(l: List): Record<string, unknown> {
  return {
    id: l.id,
    application_id: l.applicationId,
    name: l.name,
    description: l.description,
    type: l.type,
    items_count: l.itemsCount,
    created_at: l.createdAt,
    updated_at: l.updatedAt,
  };
}

export const listItemView = (i: ListItem): Record<string, unknown> => ({ id: i.id, list_id: i.listId, value: i.value, created_at: i.createdAt });

export function evaluationView(e: RuleEvaluation, applicationId: string): Record<string, unknown> {
  const input: Record<string, unknown> = {
    from_address: e.input.from,
    from_domain: domainOf(e.input.from),
    from_tld: tldOf(domainOf(e.input.from)),
  };
  if (e.stage === 'outbound_send') {
    const domains = [...new Set(e.input.recipients.map(domainOf))];
    input.recipient_addresses = e.input.recipients;
    input.recipient_domains = domains;
    input.recipient_tlds = [...new Set(domains.map(tldOf))];
    if (e.input.outboundType) input.outbound_type = e.input.outboundType;
  }
  return {
    id: e.id,
    grant_id: e.accountId,
    application_id: applicationId,
    message_id: e.messageId,
    evaluated_at: e.evaluatedAt,
    evaluation_stage: e.stage,
    evaluation_input: input,
    matched_rule_ids: e.matchedRuleIds,
    applied_actions: e.appliedActions,
    ...(e.error ? { error: e.error } : {}),
    created_at: e.evaluatedAt,
    updated_at: e.evaluatedAt,
  };
}
