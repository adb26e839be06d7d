// Every workload, in the order a full run measures them.
import type { Workload } from '../lib/types.js';
import { imapMixed } from './imap-mixed.js';
import { login } from './login.js';
import { smtp } from './smtp.js';
import { idle } from './idle.js';
import { largeFolder } from './large-folder.js';
import { api } from './api.js';

export const WORKLOADS: Workload[] = [imapMixed, login, smtp, idle, largeFolder, api];
