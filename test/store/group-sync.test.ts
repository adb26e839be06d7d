// Group commit: the server's store commits without waiting for the disk and syncs in groups;
// `durable()` resolves only after a sync that started after the caller's commits.
import { describe, expect, it, onTestFinished } from 'vitest';
import { DiskFullError, UnavailableError } from '../../src/errors.js';
import { ChangeBus } from '../../src/store/changes.js';
import { openStore } from '../../src/store/open.js';
import { DurabilityError, GroupSync } from '../../src/store/sqlite/group-sync.js';
import { tempDir } from '../helpers/tmp.js';

/** A sync the test finishes by hand, counting how many were started. */
function manualSync() {
  const started: { finish: (err?: Error) => void }[] = [];
  const sync = () =>
    new Promise<void>((resolve, reject) => {
      started.push({ finish: (err) => (err ? reject(err) : resolve()) });
    });
  return { started, sync };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('group commit', () => {
  it('resolves at once when nothing was committed since the last sync', async () => {
    const { started, sync } = manualSync();
    const group = new GroupSync('/nonexistent/wicket.db', sync);
    await group.durable();
    expect(started).toHaveLength(0);
    expect(group.pending).toBe(false);
  });

  it('one sync covers every commit made before it started; later commits wait for the next', async () => {
    const { started, sync } = manualSync();
    const group = new GroupSync('/nonexistent/wicket.db', sync);
    const order: string[] = [];
    for (let i = 0; i < 100; i++) group.noteCommit();
    const first = Array.from({ length: 100 }, (_, i) => group.durable().then(() => order.push(`a${i}`)));
    await tick();
    expect(started).toHaveLength(1);
    // Committed while the first sync runs: not covered by it.
    group.noteCommit();
    const late = group.durable().then(() => order.push('late'));
    started[0]!.finish();
    await Promise.all(first);
    await tick();
    expect(order).toHaveLength(100);
    expect(order).not.toContain('late');
    expect(started).toHaveLength(2);
    started[1]!.finish();
    await late;
    expect(order.at(-1)).toBe('late');
    expect(group.pending).toBe(false);
  });

  it('a refused sync rejects its waiters with a clear error; the next call syncs again', async () => {
    const { started, sync } = manualSync();
    const group = new GroupSync('/nonexistent/wicket.db', sync);
    group.noteCommit();
    const waiting = group.durable();
    await tick();
    started[0]!.finish(Object.assign(new Error('EIO'), { code: 'EIO' }));
    const err = await waiting.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DurabilityError);
    expect(err).toBeInstanceOf(UnavailableError);
    expect((err as Error).message).toBe('the data directory could not be synced to disk (EIO); try again');
    expect(group.pending).toBe(true);
    const retry = group.durable();
    await tick();
    expect(started).toHaveLength(2);
    started[1]!.finish();
    await retry;
    expect(group.pending).toBe(false);
  });

  it('a sync refused for want of space says the disk is full (SMTP 452 4.3.1, IMAP NO, API 507 follow from it)', async () => {
    const { started, sync } = manualSync();
    const group = new GroupSync('/nonexistent/wicket.db', sync);
    group.noteCommit();
    const waiting = group.durable();
    await tick();
    started[0]!.finish(Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' }));
    const err = await waiting.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiskFullError);
    expect(err).toBeInstanceOf(UnavailableError);
    expect((err as Error).message).toMatch(/disk .* is full/);
  });

  it('the server store: a commit is visible to another connection at once; durable() syncs the real files', async () => {
    const dir = tempDir();
    const store = openStore(dir, new ChangeBus(), { groupCommit: true });
    onTestFinished(() => store.close());
    store.directory.ensureOrganization({ id: 'org', name: 'Org', contactEmail: null, requireMfa: false });
    // The batch commits at the end of this turn of the event loop.
    await new Promise((r) => setImmediate(r));
    // The CLI's connection reads it before any sync: the commit is in the WAL file already.
    const cli = openStore(dir);
    onTestFinished(() => cli.close());
    expect(cli.directory.ensureOrganization({ id: 'other', name: 'Other', contactEmail: null, requireMfa: false }).name).toBe('Org');
    await expect(store.durable()).resolves.toBeUndefined();
  });
});
