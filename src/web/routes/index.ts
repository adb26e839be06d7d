// Every dashboard route, by area. Each module exports its list; the gate in ../dashboard.ts
// checks session, stage, role and CSRF before any handler runs.
import type { WebRoute } from '../context.js';
import { APPLICATION_ROUTES } from './applications.js';
import { AUTH_ROUTES } from './auth.js';

export const WEB_ROUTES: WebRoute[] = [...AUTH_ROUTES, ...APPLICATION_ROUTES];
