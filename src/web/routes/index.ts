// Every dashboard route, by area. Each module exports its list; the gate in ../dashboard.ts
// checks session, stage, role and CSRF before any handler runs.
import type { WebRoute } from '../context.js';
import { ACCOUNT_ROUTES } from './accounts.js';
import { APPLICATION_ROUTES } from './applications.js';
import { INBOX_ROUTES } from './inbox.js';
import { AUTH_ROUTES } from './auth.js';
import { ACTIVITY_ROUTES } from './activity.js';
import { INVITE_ROUTES } from './invite.js';
import { ORGANIZATION_ROUTES } from './organization.js';
import { PROFILE_ROUTES } from './profile.js';
import { TEAM_ROUTES } from './team.js';
import { API_KEY_ROUTES } from './api-keys.js';
import { DOMAIN_ROUTES } from './domains.js';
import { LIST_ROUTES } from './lists.js';
import { POLICY_ROUTES } from './policies.js';
import { QUEUE_ROUTES } from './queue.js';
import { RULE_ROUTES } from './rules.js';
import { WEBHOOK_ROUTES } from './webhooks.js';
import { WORKSPACE_ROUTES } from './workspaces.js';

export const WEB_ROUTES: WebRoute[] = [...AUTH_ROUTES, ...APPLICATION_ROUTES, ...ACCOUNT_ROUTES, ...INBOX_ROUTES, ...PROFILE_ROUTES, ...ORGANIZATION_ROUTES, ...TEAM_ROUTES, ...INVITE_ROUTES, ...ACTIVITY_ROUTES, ...DOMAIN_ROUTES, ...WORKSPACE_ROUTES, ...POLICY_ROUTES, ...RULE_ROUTES, ...LIST_ROUTES, ...WEBHOOK_ROUTES, ...API_KEY_ROUTES, ...QUEUE_ROUTES];
