// Every REST route, in the order the reference page lists them.
import type { AnyRoute } from '../route.js';
import { domainRoutes } from './domains.js';
import { folderRoutes } from './folders.js';
import { governanceRoutes } from './governance.js';
import { grantRoutes } from './grants.js';
import { messageRoutes } from './messages.js';
import { metricsRoutes } from './metrics.js';
import { sendRoutes } from './send.js';
import { webhookRoutes } from './webhooks.js';

export const ROUTES: AnyRoute[] = [...grantRoutes, ...messageRoutes, ...sendRoutes, ...folderRoutes, ...domainRoutes, ...governanceRoutes, ...webhookRoutes, ...metricsRoutes];
