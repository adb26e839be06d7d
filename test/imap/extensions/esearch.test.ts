// ESEARCH — RFC 4731: SEARCH/UID SEARCH RETURN (options) answers with one ESEARCH response,
// `* ESEARCH (TAG "tag") [UID] MIN n MAX n ALL set COUNT n`, instead of SEARCH. RETURN () means
// RETURN (ALL) (§3.1). With no match only COUNT (if asked) is returned — never MIN, MAX or ALL
// (§3.1). UID SEARCH answers in UIDs and says UID. ALL is a compact sequence set.
import { describe, expect, it } from 'vitest';
import { ok, stillServes } from '../fixtures/session.js';
import { withInbox } from '../fixtures/extensions.js';

/** Seven messages, 2, 3, 4 and 6 \Seen, then 1 and 5 expunged: UIDs 2, 3, 4, 6, 7 remain as messages 1–5. */
async function mailbox() {
  const w = await withInbox(['1', '2', '3', '4', '5', '6', '7']);
  await ok(w.c, 'SELECT INBOX');
  await ok(w.c, 'STORE 2:4,6 +FLAGS.SILENT (\\Seen)');
  await ok(w.c, 'STORE 1,5 +FLAGS.SILENT (\\Deleted)');
  await ok(w.c, 'EXPUNGE');
  return w;
}

describe('ESEARCH', () => {
  it('SEARCH RETURN (MIN MAX COUNT ALL): one ESEARCH line tagged with the command', async () => {
    const { c } = await mailbox();
    expect(await c.transact('SEARCH RETURN (MIN MAX COUNT ALL) SEEN', 'S1')).toEqual({
      untagged: ['* ESEARCH (TAG "S1") MIN 1 MAX 4 ALL 1:4 COUNT 4'],
      tagged: 'S1 OK SEARCH completed',
    });
    expect(await c.transact('SEARCH RETURN (MIN MAX COUNT ALL) 1,3:5', 'S2')).toEqual({
      untagged: ['* ESEARCH (TAG "S2") MIN 1 MAX 5 ALL 1,3:5 COUNT 4'],
      tagged: 'S2 OK SEARCH completed',
    });
  });

  it('UID SEARCH RETURN (…): UIDs, with UID after the tag correlator', async () => {
    const { c } = await mailbox();
    expect(await c.transact('UID SEARCH RETURN (MIN MAX COUNT ALL) SEEN', 'S1')).toEqual({
      untagged: ['* ESEARCH (TAG "S1") UID MIN 2 MAX 6 ALL 2:4,6 COUNT 4'],
      tagged: 'S1 OK UID SEARCH completed',
    });
  });

  it('UID SEARCH RETURN () …: the same as RETURN (ALL)', async () => {
    const { c } = await mailbox();
    expect(await c.transact('UID SEARCH RETURN () ALL', 'S1')).toEqual({ untagged: ['* ESEARCH (TAG "S1") UID ALL 2:4,6:7'], tagged: 'S1 OK UID SEARCH completed' });
    expect(await c.transact('UID SEARCH RETURN (ALL) ALL', 'S2')).toEqual({ untagged: ['* ESEARCH (TAG "S2") UID ALL 2:4,6:7'], tagged: 'S2 OK UID SEARCH completed' });
    expect(await c.transact('SEARCH RETURN () UNSEEN', 'S3')).toEqual({ untagged: ['* ESEARCH (TAG "S3") ALL 5'], tagged: 'S3 OK SEARCH completed' });
  });

  it('single options, in any order and repeated', async () => {
    const { c } = await mailbox();
    expect(await c.transact('UID SEARCH RETURN (COUNT) ALL', 'S1')).toEqual({ untagged: ['* ESEARCH (TAG "S1") UID COUNT 5'], tagged: 'S1 OK UID SEARCH completed' });
    expect(await c.transact('UID SEARCH RETURN (MAX) SEEN', 'S2')).toEqual({ untagged: ['* ESEARCH (TAG "S2") UID MAX 6'], tagged: 'S2 OK UID SEARCH completed' });
    expect(await c.transact('SEARCH RETURN (MIN) UNSEEN', 'S3')).toEqual({ untagged: ['* ESEARCH (TAG "S3") MIN 5'], tagged: 'S3 OK SEARCH completed' });
    expect(await c.transact('SEARCH RETURN (count min COUNT) SEEN', 'S4')).toEqual({ untagged: ['* ESEARCH (TAG "S4") MIN 1 COUNT 4'], tagged: 'S4 OK SEARCH completed' });
  });

  it('no match: only COUNT 0 (no MIN, MAX or ALL); without COUNT, no return data at all', async () => {
    const { c } = await mailbox();
    expect(await c.transact('SEARCH RETURN (MIN MAX COUNT ALL) DELETED', 'S1')).toEqual({ untagged: ['* ESEARCH (TAG "S1") COUNT 0'], tagged: 'S1 OK SEARCH completed' });
    expect(await c.transact('UID SEARCH RETURN (MIN MAX COUNT ALL) SUBJECT nothing', 'S2')).toEqual({ untagged: ['* ESEARCH (TAG "S2") UID COUNT 0'], tagged: 'S2 OK UID SEARCH completed' });
    expect(await c.transact('UID SEARCH RETURN () DELETED', 'S3')).toEqual({ untagged: ['* ESEARCH (TAG "S3") UID'], tagged: 'S3 OK UID SEARCH completed' });
    expect(await c.transact('SEARCH RETURN (MIN MAX) DELETED', 'S4')).toEqual({ untagged: ['* ESEARCH (TAG "S4")'], tagged: 'S4 OK SEARCH completed' });
  });

  it('RETURN comes before CHARSET and the keys; without RETURN the answer is a plain SEARCH', async () => {
    const { c } = await mailbox();
    expect(await c.transact('UID SEARCH RETURN (COUNT) CHARSET UTF-8 SEEN', 'S1')).toEqual({ untagged: ['* ESEARCH (TAG "S1") UID COUNT 4'], tagged: 'S1 OK UID SEARCH completed' });
    expect(await c.transact('UID SEARCH SEEN', 'S2')).toEqual({ untagged: ['* SEARCH 2 3 4 6'], tagged: 'S2 OK UID SEARCH completed' });
  });

  it('unsupported or malformed return options: BAD, and the session goes on', async () => {
    const { c } = await mailbox();
    const bad = (tag: string, text: string) => ({ untagged: [], tagged: `${tag} BAD ${text}` });
    expect(await c.transact('SEARCH RETURN (PARTIAL 1:10) ALL', 'B1')).toEqual(bad('B1', 'RETURN option "PARTIAL" is not supported; use MIN, MAX, ALL or COUNT'));
    expect(await c.transact('SEARCH RETURN (SAVE) ALL', 'B2')).toEqual(bad('B2', 'RETURN option "SAVE" is not supported; use MIN, MAX, ALL or COUNT'));
    expect(await c.transact('SEARCH RETURN MIN ALL', 'B3')).toEqual(bad('B3', 'RETURN needs a parenthesized list of options, e.g. RETURN (MIN COUNT)'));
    expect(await c.transact('SEARCH ALL RETURN (MIN)', 'B4')).toEqual(bad('B4', 'RETURN must come first, before CHARSET and the search keys'));
    expect(await stillServes(c)).toEqual({ untagged: [], tagged: 'Z1 OK NOOP completed' });
  });
});
