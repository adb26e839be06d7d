// wicket overview (alias tree) — one application as a tree: its workspaces, each with its policy,
// its rules, the lists those rules use and its accounts; then what no workspace uses. A reference
// to a policy, rule or list that no longer exists is shown as MISSING and warned about at the
// end (exit 0: the overview itself worked).
import type { Command } from 'commander';
import { listView, policyView, ruleView } from '../../accounts/governance-views.js';
import { listIdsOf } from '../../accounts/lists.js';
import { applicationView, workspaceView } from '../../accounts/views.js';
import type { List, Policy, Rule } from '../../policy/types.js';
import type { Account } from '../../store/types.js';
import { context } from '../context.js';
import { print, printJson } from '../io.js';
import { APPLICATION, limitsSummary } from './policy.js';

/** Accounts listed per workspace in the text tree; --json has them all. */
const ACCOUNTS_SHOWN = 25;

interface Missing {
  kind: 'policy' | 'rule' | 'list' | 'workspace';
  id: string;
  workspace_id?: string;
  rule_id?: string;
  message: string;
}

interface Node {
  text: string;
  children?: Node[];
}

function render(node: Node, prefix: string, last: boolean, root: boolean): void {
  print(root ? node.text : `${prefix}${last ? '└─ ' : '├─ '}${node.text}`);
  const inner = root ? '' : `${prefix}${last ? '   ' : '│  '}`;
  const children = node.children ?? [];
  children.forEach((child, i) => render(child, inner, i === children.length - 1, false));
}

const quoted = (x: { name: string; id: string }) => `"${x.name}" (${x.id})`;

const ruleText = (r: Rule) => `${quoted(r)}: ${r.trigger}, priority ${r.priority}, ${r.enabled ? 'enabled' : 'disabled'}`;

const listText = (l: List) => `${quoted(l)}: ${l.type}, ${l.itemsCount} item${l.itemsCount === 1 ? '' : 's'}`;

export function registerOverview(program: Command): void {
  program
    .command('overview')
    .alias('tree')
    .description('the application as a tree: workspaces, their policy, rules, lists and accounts; flags missing references')
    .option(...APPLICATION)
    .option('--json', 'print JSON')
    .action((opts: { application?: string; json?: boolean }) => {
      const ctx = context();
      const app = ctx.application(opts.application);
      const workspaces = ctx.services.workspaces.list(app.id);
      const policies = new Map(ctx.services.policies.list(app.id).map((p) => [p.id, p]));
      const rules = ctx.services.rules.list(app.id); // priority order, as they run
      const rulesById = new Map(rules.map((r) => [r.id, r]));
      const lists = new Map(ctx.services.lists.list(app.id).map((l) => [l.id, l]));
      const accounts = ctx.services.accounts.list(app.id);
      const byWorkspace = new Map<string, Account[]>();
      for (const a of accounts) byWorkspace.set(a.workspaceId, [...(byWorkspace.get(a.workspaceId) ?? []), a]);

      const missing: Missing[] = [];
      const usedPolicies = new Set<string>();
      const usedRules = new Set<string>();
      const usedLists = new Set<string>();

      /** The lists a set of rules names, in order, and the ids that no longer exist. */
      const listsOf = (ruleSet: Rule[]) => {
        const found: List[] = [];
        const gone: { id: string; rules: Rule[] }[] = [];
        for (const r of ruleSet) {
          for (const c of r.match.conditions) {
            if (c.operator !== 'in_list') continue;
            for (const id of listIdsOf(c.value)) {
              const list = lists.get(id);
              if (list) {
                usedLists.add(id);
                if (!found.includes(list)) found.push(list);
              } else {
                const entry = gone.find((g) => g.id === id);
                if (entry) {
                  if (!entry.rules.includes(r)) entry.rules.push(r);
                } else gone.push({ id, rules: [r] });
              }
            }
          }
        }
        return { found, gone };
      };
      const reportedLists = new Set<string>();
      const reportGoneLists = (gone: { id: string; rules: Rule[] }[]) => {
        for (const g of gone) {
          for (const r of g.rules) {
            const key = `${r.id}/${g.id}`;
            if (reportedLists.has(key)) continue;
            reportedLists.add(key);
            missing.push({ kind: 'list', id: g.id, rule_id: r.id, message: `rule "${r.name}" names list ${g.id} in in_list, which no longer exists` });
          }
        }
      };

      const tree = workspaces.map((w) => {
        const policy: Policy | undefined = w.policyId ? policies.get(w.policyId) : undefined;
        if (w.policyId) {
          usedPolicies.add(w.policyId);
          if (!policy) {
            missing.push({ kind: 'policy', id: w.policyId, workspace_id: w.id, message: `workspace "${w.name}" names policy ${w.policyId}, which no longer exists` });
          }
        }
        const attached = rules.filter((r) => w.ruleIds.includes(r.id));
        attached.forEach((r) => usedRules.add(r.id));
        const goneRules = w.ruleIds.filter((id) => !rulesById.has(id));
        for (const id of goneRules) {
          missing.push({ kind: 'rule', id, workspace_id: w.id, message: `workspace "${w.name}" names rule ${id}, which no longer exists` });
        }
        const { found, gone } = listsOf(attached);
        reportGoneLists(gone);
        return { w, policy, attached, goneRules, found, gone, accounts: byWorkspace.get(w.id) ?? [] };
      });
      const strayAccounts = accounts.filter((a) => !workspaces.some((w) => w.id === a.workspaceId));
      for (const id of new Set(strayAccounts.map((a) => a.workspaceId))) {
        missing.push({ kind: 'workspace', id, message: `accounts are placed in workspace ${id}, which no longer exists` });
      }

      const unattachedPolicies = [...policies.values()].filter((p) => !usedPolicies.has(p.id));
      const unattachedRules = rules.filter((r) => !usedRules.has(r.id));
      const unattachedGone = listsOf(unattachedRules).gone;
      reportGoneLists(unattachedGone);
      const unattachedLists = [...lists.values()].filter((l) => !usedLists.has(l.id));

      if (opts.json) {
        printJson({
          application: applicationView(app, accounts.length),
          workspaces: tree.map((t) => ({
            ...workspaceView(t.w, t.accounts.length),
            policy: t.w.policyId === null ? null : t.policy ? policyView(t.policy) : { id: t.w.policyId, missing: true },
            rules: [...t.attached.map(ruleView), ...t.goneRules.map((id) => ({ id, missing: true }))],
            lists: [...t.found.map(listView), ...t.gone.map((g) => ({ id: g.id, missing: true, rule_ids: g.rules.map((r) => r.id) }))],
            accounts: t.accounts.map((a) => ({ id: a.id, email: a.email })),
          })),
          unattached: { policies: unattachedPolicies.map(policyView), rules: unattachedRules.map(ruleView), lists: unattachedLists.map(listView) },
          ...(strayAccounts.length ? { accounts_in_missing_workspaces: strayAccounts.map((a) => ({ id: a.id, email: a.email, workspace_id: a.workspaceId })) } : {}),
          missing,
        });
      } else {
        const goneListNode = (g: { id: string; rules: Rule[] }): Node => ({
          text: `MISSING list ${g.id} (named by rule ${g.rules.map((r) => `"${r.name}"`).join(', ')})`,
        });
        const nodes: Node[] = tree.map((t) => {
          const traits = [t.w.isDefault ? 'default' : null, t.w.domain ? `domain ${t.w.domain}` : null, t.w.autoGroup ? 'auto-group' : null].filter(Boolean);
          const ruleNodes: Node[] = [...t.attached.map((r) => ({ text: ruleText(r) })), ...t.goneRules.map((id) => ({ text: `MISSING rule ${id}` }))];
          const listNodes: Node[] = [...t.found.map((l) => ({ text: listText(l) })), ...t.gone.map(goneListNode)];
          const shown = t.accounts.slice(0, ACCOUNTS_SHOWN).map((a) => ({ text: a.email }));
          if (t.accounts.length > ACCOUNTS_SHOWN) shown.push({ text: `… and ${t.accounts.length - ACCOUNTS_SHOWN} more (wicket overview --json, wicket account list)` });
          return {
            text: `Workspace ${quoted(t.w)}${traits.length ? `: ${traits.join(', ')}` : ''}`,
            children: [
              {
                text:
                  t.w.policyId === null
                    ? 'Policy: none (installation defaults)'
                    : t.policy
                      ? `Policy ${quoted(t.policy)}: ${limitsSummary(t.policy.limits)}`
                      : `Policy: MISSING policy ${t.w.policyId}`,
              },
              ruleNodes.length ? { text: `Rules (${ruleNodes.length})`, children: ruleNodes } : { text: 'Rules: none' },
              ...(listNodes.length ? [{ text: `Lists (${listNodes.length})`, children: listNodes }] : []),
              shown.length ? { text: `Accounts (${t.accounts.length})`, children: shown } : { text: 'Accounts: none' },
            ],
          };
        });
        if (strayAccounts.length) {
          nodes.push({ text: `Accounts in a MISSING workspace (${strayAccounts.length})`, children: strayAccounts.map((a) => ({ text: `${a.email} (workspace ${a.workspaceId})` })) });
        }
        const loose: Node[] = [
          ...(unattachedPolicies.length ? [{ text: `Policies (${unattachedPolicies.length})`, children: unattachedPolicies.map((p) => ({ text: `${quoted(p)}: ${limitsSummary(p.limits)}` })) }] : []),
          ...(unattachedRules.length
            ? [
                {
                  text: `Rules (${unattachedRules.length})`,
                  children: unattachedRules.map((r) => {
                    const gone = unattachedGone.filter((g) => g.rules.includes(r));
                    return { text: ruleText(r), children: gone.map((g) => ({ text: `MISSING list ${g.id}` })) };
                  }),
                },
              ]
            : []),
          ...(unattachedLists.length ? [{ text: `Lists (${unattachedLists.length})`, children: unattachedLists.map((l) => ({ text: listText(l) })) }] : []),
        ];
        if (loose.length) nodes.push({ text: 'Not used by any workspace', children: loose });
        render({ text: `Application "${app.name}" (${app.id})`, children: nodes }, '', true, true);
      }
      if (missing.length) {
        process.stderr.write(
          `wicket: warning: ${missing.length} missing reference${missing.length === 1 ? '' : 's'} (marked MISSING): ${missing.map((m) => m.message).join('; ')}\n`,
        );
      }
    });
}
