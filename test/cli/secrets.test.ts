import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wicket, wicketOk } from '../helpers/cli.js';
import { startServe } from '../helpers/serve.js';
import { tempDir } from '../helpers/tmp.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('app passwords stay secret', () => {
  it('the clear password appears in no file of the data directory and in no output or log', async () => {
    const dir = tempDir();
    const first = 'FirstSecretP4sswordXyz';
    const second = 'SecondSecretP4sswordQw';
    const outputs: string[] = [];
    const run = async (args: string[], input?: string) => {
      const r = await wicket(dir, args, { input, env: { WICKET_LOG_LEVEL: 'trace' } });
      outputs.push(r.stdout, r.stderr);
      return r;
    };
    await wicketOk(dir, ['domain', 'add', 'agents.example.com']);
    expect((await run(['account', 'create', 'a@agents.example.com', '--app-password', '-', '--json'], first)).code).toBe(0);
    expect((await run(['account', 'create', 'b@agents.example.com', '--app-password', first, '--json'])).code).toBe(0);
    expect((await run(['account', 'update', 'a@agents.example.com', '--app-password', '-', '--json'], second)).code).toBe(0);
    expect((await run(['account', 'get', 'a@agents.example.com', '--json'])).code).toBe(0);
    expect((await run(['account', 'list', '--json'])).code).toBe(0);
    expect((await run(['status', '--json'])).code).toBe(0);
    // A refused password is not echoed either.
    const weak = 'weak password with spaces 1A';
    const refused = await run(['account', 'create', 'c@agents.example.com', '--app-password', weak]);
    expect(refused.code).toBe(1);

    const server = await startServe(dir, { WICKET_LOG_LEVEL: 'trace' });
    await fetch(`http://127.0.0.1:${server.ports.http}/healthz`);
    expect(await server.stop()).toBe(0);
    outputs.push(server.stdout(), server.stderr());

    const files = filesUnder(dir);
    expect(files.some((f) => f.endsWith('wicket.db'))).toBe(true);
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const secret of [first, second, weak]) {
        expect(bytes.includes(Buffer.from(secret)), `${secret} found in ${file}`).toBe(false);
      }
    }
    const text = outputs.join('\n');
    for (const secret of [first, second, weak]) expect(text).not.toContain(secret);
    expect(text).not.toContain('$2b$');
  });
});
