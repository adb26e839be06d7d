// Workspaces: groups of accounts that share a policy and rules. Each application has a
// default workspace (created with it, never deleted). A workspace's domain is set at creation
// only; `auto_group` needs a domain (hosted API, Sept 2026 changelog).
import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { Store } from '../store/store.js';
import type { NewWorkspace, Workspace } from '../store/types.js';
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
}

export class WorkspaceService {
  constructor(private readonly store: Store) {}

  create(applicationId: string, input: NewWorkspaceInput): Workspace {
    const name = input.name.trim();
    if (name.length === 0 || [...name].length > 128 || /[\u0000-\u001f\u007f]/.test(name)) {
      throw new ValidationError('name', 'syntax', 'a workspace name is 1 to 128 characters without control characters');
    }
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
      policyId: null,
      ruleIds: [],
    });
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
