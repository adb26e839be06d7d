// Workspaces: groups of accounts that share a policy and rules. Each application has a
// default workspace (created with it, never deleted). A workspace's domain is set at creation
// only; `auto_group` needs a domain (hosted API, Sept 2026 changelog).
import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { Store } from '../store/store.js';
import type { NewWorkspace, Workspace, WorkspacePatch } from '../store/types.js';
import { normalizeDomain } from './hostname.js';

export function defaultWorkspaceFor(applicationId: string): NewWorkspace {
  return {
    id: randomUUID(),
    applicationId,
    name: 'Default',
    domain: null,
    autoGroup: false,
    isDefault: true,
    policyId: null,
    ruleIds: [],
  };
}

export interface NewWorkspaceInput {
  name: string;
  domain?: string;
  autoGroup?: boolean;
  policyId?: string | null;
  ruleIds?: string[] | null;
}

/**
 * A change to a workspace (PATCH): an omitted field is kept; `policyId: null` detaches the
 * policy; `ruleIds` replaces the rules wholly, and null or [] detaches them all. The default
 * workspace takes only policy and rules; the domain never changes.
 */
export interface WorkspaceUpdate {
  name?: string;
  domain?: string;
  autoGroup?: boolean;
  policyId?: string | null;
  ruleIds?: string[] | null;
}

const validName = (raw: string): string => {
  const name = raw.trim();
  if (name.length === 0 || [...name].length > 128 || /[\u0000-\u001f\u007f]/.test(name)) {
    throw new ValidationError('name', 'syntax', 'a workspace name is 1 to 128 characters without control characters');
  }
  return name;
};

export class WorkspaceService {
  constructor(private readonly store: Store) {}

  create(applicationId: string, input: NewWorkspaceInput): Workspace {
    const name = validName(input.name);
    if (this.store.directory.findWorkspaceByName(applicationId, name)) {
      throw new ConflictError(`a workspace named "${name}" already exists in this application`);
    }
    let domain: string | null = null;
    if (input.domain !== undefined) {
      const parsed = normalizeDomain(input.domain);
      if (!parsed.ok) throw new ValidationError('domain', 'syntax', parsed.reason);
      if (!this.store.directory.findDomainByName(parsed.domain)) {
        throw new ValidationError('domain', 'unregistered', `domain ${parsed.domain} is not registered`);
      }
      domain = parsed.domain;
    }
    const autoGroup = input.autoGroup ?? false;
    if (autoGroup && domain === null) {
      throw new ValidationError('auto_group', 'needs_domain', 'auto_group needs a domain to group accounts by');
    }
    if (autoGroup && domain && this.store.directory.autoGroupWorkspace(applicationId, domain)) {
      throw new ConflictError(`another workspace already auto-groups ${domain} in this application`);
    }
    return this.store.directory.createWorkspace({
      id: randomUUID(),
      applicationId,
      name,
      domain,
      autoGroup,
      isDefault: false,
      policyId: input.policyId != null ? this.checkPolicy(applicationId, input.policyId) : null,
      ruleIds: input.ruleIds != null ? this.checkRules(applicationId, input.ruleIds) : [],
    });
  }

  update(applicationId: string, ref: string, patch: WorkspaceUpdate): Workspace {
    const workspace = this.get(applicationId, ref);
    if (patch.domain !== undefined && patch.domain.trim().toLowerCase() !== (workspace.domain ?? '')) {
      throw new ValidationError('domain', 'immutable', "a workspace's domain is set when it is created and cannot change");
    }
    if (workspace.isDefault && (patch.name !== undefined || patch.autoGroup !== undefined)) {
      throw new ValidationError(patch.name !== undefined ? 'name' : 'auto_group', 'default_workspace', 'the default workspace takes only policy_id and rule_ids');
    }
    const next: WorkspacePatch = {};
    if (patch.name !== undefined) {
      next.name = validName(patch.name);
      const other = this.store.directory.findWorkspaceByName(applicationId, next.name);
      if (other && other.id !== workspace.id) throw new ConflictError(`a workspace named "${next.name}" already exists in this application`);
    }
    if (patch.autoGroup !== undefined) {
      if (patch.autoGroup && workspace.domain === null) {
        throw new ValidationError('auto_group', 'needs_domain', 'auto_group needs a domain to group accounts by');
      }
      const other = patch.autoGroup && workspace.domain ? this.store.directory.autoGroupWorkspace(applicationId, workspace.domain) : undefined;
      if (other && other.id !== workspace.id) throw new ConflictError(`another workspace already auto-groups ${workspace.domain} in this application`);
      next.autoGroup = patch.autoGroup;
    }
    if (patch.policyId !== undefined) next.policyId = patch.policyId === null ? null : this.checkPolicy(applicationId, patch.policyId);
    if (patch.ruleIds !== undefined) next.ruleIds = patch.ruleIds === null ? [] : this.checkRules(applicationId, patch.ruleIds);
    return this.store.directory.updateWorkspace(workspace.id, next);
  }

  private checkPolicy(applicationId: string, id: string): string {
    if (!this.store.governance.getPolicy(applicationId, id)) {
      throw new ValidationError('policy_id', 'not_found', `policy ${id} does not exist in this application`);
    }
    return id;
  }

  private checkRules(applicationId: string, ids: string[]): string[] {
    const unique = [...new Set(ids)];
    unique.forEach((id, i) => {
      if (!this.store.governance.getRule(applicationId, id)) {
        throw new ValidationError(`rule_ids[${i}]`, 'not_found', `rule ${id} does not exist in this application`);
      }
    });
    return unique;
  }

  list(applicationId: string): Workspace[] {
    return this.store.directory.listWorkspaces(applicationId);
  }

  /** By id or name, inside the application only. */
  get(applicationId: string, ref: string): Workspace {
    const byId = this.store.directory.getWorkspace(ref);
    const workspace =
      byId && byId.applicationId === applicationId ? byId : this.store.directory.findWorkspaceByName(applicationId, ref.trim());
    if (!workspace) throw new NotFoundError(`workspace ${ref} not found in this application`);
    return workspace;
  }

  defaultFor(applicationId: string): Workspace {
    return this.store.directory.defaultWorkspace(applicationId);
  }

  accountCount(workspace: Workspace): number {
    return this.store.directory.countAccountsInWorkspace(workspace.id);
  }

  /** Deletes a workspace; its accounts move to the default workspace. */
  delete(applicationId: string, ref: string): { workspace: Workspace; moved: number } {
    const workspace = this.get(applicationId, ref);
    if (workspace.isDefault) throw new ConflictError('the default workspace cannot be deleted');
    const { moved } = this.store.directory.deleteWorkspace(workspace.id);
    return { workspace, moved };
  }
}
