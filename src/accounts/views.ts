// The public JSON shapes of accounts, domains, workspaces and applications, shared by the CLI
// (--json) and the REST API so both say the same thing. Field names follow the hosted v3 API
// (snake_case, Unix-second timestamps). No view ever carries a password or its hash.
import type { Account, Application, Workspace } from '../store/types.js';
import { zoneLine } from './dns-records.js';
import type { DomainDetails } from './domains.js';

export function grantView(a: Account) {
  return {
    id: a.id,
    provider: 'nylas',
    email: a.email,
    name: a.name,
    workspace_id: a.workspaceId,
    application_id: a.applicationId,
    grant_status: a.grantStatus,
    has_app_password: a.passwordHash !== null,
    settings: { email: a.email, has_app_password: a.passwordHash !== null },
    created_at: a.createdAt,
    updated_at: a.updatedAt,
  };
}

export function domainView(d: DomainDetails) {
  return {
    id: d.domain.id,
    name: d.domain.name,
    status: d.status,
    dkim_selector: d.domain.dkimSelector,
    account_count: d.accountCount,
    created_at: d.domain.createdAt,
    updated_at: d.domain.updatedAt,
    records: d.records.map((r) => ({
      key: r.key,
      type: r.type,
      host: r.host,
      value: r.value,
      ...(r.priority !== undefined ? { priority: r.priority } : {}),
      required: r.required,
      purpose: r.purpose,
      status: r.status,
      reason: r.reason,
      checked_at: r.checkedAt,
      zone: zoneLine(r),
    })),
  };
}

export function workspaceView(w: Workspace, accountCount?: number) {
  return {
    id: w.id,
    workspace_id: w.id,
    name: w.name,
    domain: w.domain,
    auto_group: w.autoGroup,
    default: w.isDefault,
    policy_id: w.policyId,
    rule_ids: w.ruleIds,
    application_id: w.applicationId,
    ...(accountCount !== undefined ? { account_count: accountCount } : {}),
    created_at: w.createdAt,
    updated_at: w.updatedAt,
  };
}

export function applicationView(a: Application, accountCount?: number) {
  return {
    id: a.id,
    name: a.name,
    default: a.isDefault,
    ...(accountCount !== undefined ? { account_count: accountCount } : {}),
    created_at: a.createdAt,
    updated_at: a.updatedAt,
  };
}
