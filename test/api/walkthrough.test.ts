// The README's API walk-through, run exactly as written (only the ports are this test's): its
// webhook receiver (hook.mjs) in one process, its shell commands — the real `npx wicket`,
// curl for HTTP, SMTP and IMAP, jq — in another, against the whole gateway.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { WICKET_BIN, cliEnv } from '../helpers/cli.js';
import { startTestGateway } from '../helpers/gateway.js';
import { tempDir } from '../helpers/tmp.js';

const README = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');

/** The fenced block right after an HTML comment marker. */
function block(marker: string): string {
  const match = new RegExp(`<!-- ${marker} -->\\n\`\`\`\\w+\\n([\\s\\S]*?)\\n\`\`\`\\n`).exec(README);
  if (!match) throw new Error(`README has no block after <!-- ${marker} -->`);
  return match[1]!;
}

function output(child: ChildProcess): { text: () => string; waitFor: (pattern: RegExp) => Promise<RegExpExecArray> } {
  let text = '';
  const waiters: (() => void)[] = [];
  const onData = (d: Buffer) => {
    text += d.toString('utf8');
    for (const w of waiters.splice(0)) w();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  return {
    text: () => text,
    waitFor: (pattern) =>
      new Promise((resolvePromise, reject) => {
        const deadline = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; output so far:\n${text}`)), 30_000);
        const check = () => {
          const found = pattern.exec(text);
          if (found) {
            clearTimeout(deadline);
            resolvePromise(found);
          } else waiters.push(check);
        };
        check();
      }),
  };
}

describe('README walk-through', () => {
  it('creates an account and a webhook, receives signed message.created, lists, replies, finds the reply in Sent', async () => {
    const g = await startTestGateway();
    const dir = tempDir();
    // `npx wicket` resolves the package's own bin, as in a project that depends on Wicket.
    mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
    symlinkSync(WICKET_BIN, join(dir, 'node_modules', '.bin', 'wicket'));
    writeFileSync(join(dir, 'hook.mjs'), block('walkthrough-receiver'));
    const env = cliEnv(dir, { WICKET_DATA_DIR: g.dir, NPM_CONFIG_UPDATE_NOTIFIER: 'false' });

    const hook = spawn(process.execPath, ['hook.mjs'], { cwd: dir, env: { ...env, PORT: '0' }, stdio: 'pipe' });
    onTestFinished(() => {
      hook.kill();
    });
    const hookOut = output(hook);
    const hookPort = (await hookOut.waitFor(/listening on (\d+)/))[1]!;

    const script = block('walkthrough')
      .replace('localhost:8080', `127.0.0.1:${g.ports.http}`)
      .replace('localhost:1025', `127.0.0.1:${g.ports.mx}`)
      .replace('localhost:1143', `127.0.0.1:${g.ports.imap}`)
      .replace('localhost:9000', `127.0.0.1:${hookPort}`);
    const shell = spawn('bash', ['-c', `set -euo pipefail${process.env.WALKTHROUGH_TRACE ? " -x" : ""}\n${script}`], { cwd: dir, env, stdio: 'pipe' });
    const shellOut = output(shell);
    const code = await new Promise<number | null>((resolvePromise) => shell.on('close', resolvePromise));
    expect(code, shellOut.text()).toBe(0);

    await hookOut.waitFor(/signature ok message\.created Quote for 40 units\?/);
    expect(hookOut.text()).not.toContain('BAD SIGNATURE');
    const printed = shellOut.text();
    if (process.env.WALKTHROUGH_TRACE) console.log(printed);
    expect(printed).toContain('"subject": "Re: Quote for 40 units?"');
    expect(printed).toMatch(/^From: "?Anna at Sales"? <sales@agents\.example\.com>\r?$/m);
    expect(printed).toMatch(/^Subject: Re: Quote for 40 units\?\r?$/m);
    expect(printed).toMatch(/^In-Reply-To: <quote-40@example\.net>\r?$/m);
    // Alice is remote: her copy waits in the queue (WICKET_RELAY=none).
    expect(g.gateway.services.queue.list().map((e) => [e.rcptTo, e.status])).toEqual([['alice@example.net', 'held']]);
  });
});
