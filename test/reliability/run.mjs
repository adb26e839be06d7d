// `npm run test:reliability [-- --soak] [vitest arguments]`: the reliability and security suite
// (issue 10). `--soak` runs the soak for 30 minutes instead of 2 (RELIABILITY_SOAK_MINUTES, when
// set, wins); every other argument goes to vitest (a file name, `-t <name>`, …).
import { spawn } from 'node:child_process';

const args = process.argv.slice(2);
const env = { ...process.env };
const soak = args.indexOf('--soak');
if (soak >= 0) {
  args.splice(soak, 1);
  env.RELIABILITY_SOAK_MINUTES ??= '30';
}
// npm puts node_modules/.bin on the PATH of its scripts.
const child = spawn('vitest', ['run', '--config', 'vitest.reliability.config.ts', ...args], { stdio: 'inherit', env });
child.on('error', (err) => {
  console.error(`could not start vitest: ${err.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
