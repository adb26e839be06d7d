import { describe, expect, it } from 'vitest';
import { placeAccount } from '../../src/accounts/placement.js';
import type { Workspace } from '../../src/store/types.js';

const ws = (over: Partial<Workspace>): Workspace => ({
  id: 'w',
  applicationId: 'app1',
  name: 'w',
  domain: null,
  autoGroup: false,
  isDefault: false,
  policyId: null,
  ruleIds: [],
  createdAt: 1,
  updatedAt: 1,
  ...over,
});

const workspaces = [
  ws({ id: 'default', isDefault: true }),
  ws({ id: 'sales', domain: 'sales.example.com', autoGroup: true, createdAt: 2 }),
  ws({ id: 'support-manual', domain: 'support.example.com', autoGroup: false }),
  ws({ id: 'other-app-default', applicationId: 'app2', isDefault: true }),
  ws({ id: 'other-app-sales', applicationId: 'app2', domain: 'sales.example.com', autoGroup: true }),
];

describe('workspace placement', () => {
  it('takes the explicit workspace first, even over an auto-group match', () => {
    expect(placeAccount(workspaces, 'app1', 'sales.example.com', 'support-manual')).toMatchObject({
      ok: true,
      workspace: { id: 'support-manual' },
      reason: 'explicit',
    });
  });

  it('refuses an explicit workspace that does not exist or belongs to another application', () => {
    expect(placeAccount(workspaces, 'app1', 'x.example.com', 'nope')).toMatchObject({ ok: false });
    expect(placeAccount(workspaces, 'app1', 'x.example.com', 'other-app-default')).toMatchObject({ ok: false });
  });

  it('then an auto-group workspace whose domain matches', () => {
    expect(placeAccount(workspaces, 'app1', 'sales.example.com')).toMatchObject({ workspace: { id: 'sales' }, reason: 'auto_group' });
    expect(placeAccount(workspaces, 'app2', 'sales.example.com')).toMatchObject({ workspace: { id: 'other-app-sales' } });
  });

  it('ignores a domain match when auto_group is off', () => {
    expect(placeAccount(workspaces, 'app1', 'support.example.com')).toMatchObject({ workspace: { id: 'default' }, reason: 'default' });
  });

  it('else the default workspace of the application', () => {
    expect(placeAccount(workspaces, 'app1', 'elsewhere.example.com')).toMatchObject({ workspace: { id: 'default' } });
    expect(placeAccount(workspaces, 'app2', 'elsewhere.example.com')).toMatchObject({ workspace: { id: 'other-app-default' } });
  });
});
