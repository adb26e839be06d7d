// The `wicket` command line. Every command is a thin call into the services; errors become
// one line on standard error and an exit code: 0 success, 1 failure, 2 usage.
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config.js';
import { WicketError } from '../errors.js';
import { ListenError } from '../listen.js';
import { VERSION } from '../version.js';
import { registerAccount } from './commands/account.js';
import { registerApiKey } from './commands/apikey.js';
import { registerApp } from './commands/app.js';
import { registerDomain } from './commands/domain.js';
import { registerList } from './commands/list.js';
import { registerOverview } from './commands/overview.js';
import { registerPolicy } from './commands/policy.js';
import { registerQueue } from './commands/queue.js';
import { registerRule } from './commands/rule.js';
import { registerServe } from './commands/serve.js';
import { registerStatus } from './commands/status.js';
import { registerUser } from './commands/user.js';
import { registerWebhook } from './commands/webhook.js';
import { registerWorkspace } from './commands/workspace.js';
import { closeContext, recordCliActivity } from './context.js';
import { CancelledError, UsageError } from './io.js';

function buildProgram(): Command {
  const program = new Command('wicket')
    .description('Wicket: a self-hosted mail gateway for agent accounts')
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      // Commander's own messages ("error: unknown option '--x'") are already one line.
      outputError: (message, write) => write(message.startsWith('error: ') ? `wicket: ${message.slice(7)}` : message),
    });
  registerServe(program);
  registerStatus(program);
  registerDomain(program);
  registerApp(program);
  registerWorkspace(program);
  registerAccount(program);
  registerPolicy(program);
  registerRule(program);
  registerList(program);
  registerOverview(program);
  registerQueue(program);
  registerWebhook(program);
  registerApiKey(program);
  registerUser(program);
  // Every subcommand inherits the error handling of the root.
  const inherit = (cmd: Command) => {
    for (const sub of cmd.commands) {
      sub.exitOverride().configureOutput(program.configureOutput()).showSuggestionAfterError(true);
      inherit(sub);
    }
  };
  inherit(program);
  program.hook('postAction', (_root, action) => {
    const path: string[] = [];
    for (let c: Command | null = action; c && c !== program; c = c.parent) path.unshift(c.name());
    recordCliActivity(path, action.processedArgs);
  });
  return program;
}

function fail(message: string, code: number): number {
  process.stderr.write(`wicket: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  return code;
}

async function run(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; anything else Commander rejects (or a missing command) is usage.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof UsageError) return fail(err.message, 2);
    if (err instanceof CancelledError) return fail(err.message, 1);
    if (err instanceof ConfigError) return fail(`invalid configuration: ${err.message}`, 1);
    if (err instanceof WicketError || err instanceof ListenError) return fail(err.message, 1);
    return fail(`unexpected error: ${err instanceof Error ? err.message : String(err)}`, 1);
  } finally {
    closeContext();
  }
}

// `wicket domain records x | head`: a reader that goes away early is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

process.exitCode = await run(process.argv);
