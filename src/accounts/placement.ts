// Where a new account lands (PRODUCT.md "Placement in a workspace"), in this order:
// 1. the explicit workspace, which must exist in the account's application;
// 2. else a workspace with auto_group on whose domain equals the address's domain;
// 3. else the application's default workspace.
import type { Workspace } from '../store/types.js';

export type Placement =
  | { ok: true; workspace: Workspace; reason: 'explicit' | 'auto_group' | 'default' }
  | { ok: false; error: string };

export function placeAccount(
  workspaces: readonly Workspace[],
  applicationId: string,
  addressDomain: string,
  explicitWorkspaceId?: string,
): Placement {
  const own = workspaces.filter((w) => w.applicationId === applicationId);
  if (explicitWorkspaceId !== undefined) {
    const explicit = own.find((w) => w.id === explicitWorkspaceId);
    return explicit
      ? { ok: true, workspace: explicit, reason: 'explicit' }
      : { ok: false, error: `workspace ${explicitWorkspaceId} not found in this application` };
  }
  const grouped = own.filter((w) => w.autoGroup && w.domain === addressDomain).sort((a, b) => a.createdAt - b.createdAt)[0];
  if (grouped) return { ok: true, workspace: grouped, reason: 'auto_group' };
  const fallback = own.find((w) => w.isDefault);
  return fallback ? { ok: true, workspace: fallback, reason: 'default' } : { ok: false, error: 'the application has no default workspace' };
}
