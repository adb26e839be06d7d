// wicket apikey create|list|revoke — REST API keys of an application. The key is printed once,
// at creation; only its hash is kept, so a lost key is revoked and replaced, never recovered.
import type { Command } from 'commander';
import type { ApiKey } from '../../store/types.js';
import { context } from '../context.js';
import { isoTime, print, printJson, printTable } from '../io.js';

const APPLICATION = ['--application <id|name>', 'application (default: the default application)'] as const;

export function apiKeyView(k: ApiKey) {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    application_id: k.applicationId,
    status: k.revokedAt === null ? 'active' : 'revoked',
    created_at: k.createdAt,
    last_used_at: k.lastUsedAt,
    revoked_at: k.revokedAt,
  };
}

export function registerApiKey(program: Command): void {
  const apikey = program.command('apikey').description('REST API keys (Authorization: Bearer <key>)');

  apikey
    .command('create')
    .description('create an API key; it is shown once')
    .option('--name <name>', 'a label to recognise the key by', 'api key')
    .option(...APPLICATION)
    .option('--json', 'print JSON')
    .action((opts: { name: string; application?: string; json?: boolean }) => {
      const ctx = context();
      const app = ctx.application(opts.application);
      const { key, secret } = ctx.services.apiKeys.create(app.id, opts.name);
      if (opts.json) {
        printJson({ ...apiKeyView(key), api_key: secret });
        return;
      }
      print(`API key "${key.name}" created for application ${app.name} (${key.id})`);
      print();
      print(`  ${secret}`);
      print();
      print('Store it now: it is not shown again. Use it as "Authorization: Bearer <key>".');
    });

  apikey
    .command('list')
    .description('list API keys (prefixes only)')
    .option(...APPLICATION)
    .option('--json', 'print JSON')
    .action((opts: { application?: string; json?: boolean }) => {
      const ctx = context();
      const app = ctx.application(opts.application);
      const keys = ctx.services.apiKeys.list(app.id);
      if (opts.json) {
        printJson(keys.map(apiKeyView));
        return;
      }
      print(`API keys (${keys.length}) of application ${app.name}`);
      if (keys.length === 0) return;
      printTable(
        ['NAME', 'ID', 'PREFIX', 'STATUS', 'CREATED', 'LAST USED'],
        keys.map((k) => [
          k.name,
          k.id,
          `${k.prefix}…`,
          k.revokedAt === null ? 'active' : 'revoked',
          isoTime(k.createdAt),
          k.lastUsedAt === null ? 'never' : isoTime(k.lastUsedAt),
        ]),
      );
    });

  apikey
    .command('revoke <id>')
    .description('revoke an API key at once')
    .option(...APPLICATION)
    .option('--json', 'print JSON')
    .action((id: string, opts: { application?: string; json?: boolean }) => {
      const ctx = context();
      const key = ctx.services.apiKeys.revoke(ctx.application(opts.application).id, id);
      if (opts.json) printJson(apiKeyView(key));
      else print(`API key "${key.name}" (${key.id}) revoked`);
    });
}
