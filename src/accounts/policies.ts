// Policies: limits and spam settings an application attaches to workspaces (PRODUCT.md
// "Policies"). Input is validated by src/policy/validate.ts; an update merges field by field
// (a limit given as null goes back to the installation's default) and the merged policy is
// checked again (inbox retention must stay above spam retention). A policy a workspace still
// names cannot be deleted.
import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError } from '../errors.js';
import { checkRetention, parsePolicyInput } from '../policy/validate.js';
import type { Policy, PolicyLimits, SpamDetection } from '../policy/types.js';
import type { Store } from '../store/store.js';

/** Applies a partial object: a key given as null is removed, others replace. */
function merge<T extends object>(current: T, patch: Record<string, unknown> | undefined): T {
  if (!patch) return current;
  const next: Record<string, unknown> = { ...(current as Record<string, unknown>) };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else if (value !== undefined) next[key] = value;
  }
  return next as T;
}

/**
 * Fields a hosted-API client may send that Wicket takes no value from: the read-only ones, and
 * `rules` (legacy on the hosted API too: rules apply through workspaces' rule_ids) and `options`
 * (additional folders and CIDR aliasing, which Wicket does not offer). Left out, not refused.
 */
const IGNORED = ['id', 'application_id', 'organization_id', 'created_at', 'updated_at', 'rules', 'options'];

function withoutIgnored(input: unknown): unknown {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  return Object.fromEntries(Object.entries(input).filter(([key]) => !IGNORED.includes(key)));
}

export class PolicyService {
  constructor(private readonly store: Store) {}

  create(applicationId: string, input: unknown): Policy {
    const parsed = parsePolicyInput(withoutIgnored(input), 'create');
    const limits = merge<PolicyLimits>({}, parsed.limits as Record<string, unknown> | undefined);
    checkRetention(limits);
    return this.store.governance.createPolicy({
      id: randomUUID(),
      applicationId,
      name: parsed.name!,
      limits,
      spamDetection: merge<SpamDetection>({}, parsed.spam_detection as Record<string, unknown> | undefined),
    });
  }

  list(applicationId: string): Policy[] {
    return this.store.governance.listPolicies(applicationId);
  }

  get(applicationId: string, id: string): Policy {
    const policy = this.store.governance.getPolicy(applicationId, id);
    if (!policy) throw new NotFoundError(`policy ${id} not found in this application`);
    return policy;
  }

  update(applicationId: string, id: string, input: unknown): Policy {
    const current = this.get(applicationId, id);
    const parsed = parsePolicyInput(withoutIgnored(input), 'update');
    const limits = merge(current.limits, parsed.limits as Record<string, unknown> | undefined);
    checkRetention(limits);
    return this.store.governance.updatePolicy({
      ...current,
      name: parsed.name ?? current.name,
      limits,
      spamDetection: merge(current.spamDetection, parsed.spam_detection as Record<string, unknown> | undefined),
    });
  }

  delete(applicationId: string, id: string): Policy {
    const policy = this.get(applicationId, id);
    const users = this.store.directory.listWorkspaces(applicationId).filter((w) => w.policyId === id);
    if (users.length > 0) {
      throw new ConflictError(
        `policy ${id} is attached to workspace ${users.map((w) => `"${w.name}"`).join(', ')}; detach it first (set the workspace's policy_id to null)`,
      );
    }
    this.store.governance.deletePolicy(applicationId, id);
    return policy;
  }
}
