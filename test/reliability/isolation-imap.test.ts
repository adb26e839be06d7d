// Issue 10, item 6 (IMAP): an account cannot read, list, change or learn the existence of
// another account's mailboxes or messages, whatever name it uses: `..`, `/`, `%`, `*`, NUL,
// `INBOX/../`, the other address in mixed case, `#shared`-style and `user/…` namespaces,
// modified-UTF-7 and UTF-8 look-alikes.
//
// The method is differential. Two twin accounts (alice and carol, identical content) run the
// same commands in lock step; alice names bob's things (bob's folder `Secret`, bob's address…)
// where carol names things that exist nowhere (`Qqqqqq`, `qqq@…`). If any answer of alice's
// depended on bob's mailboxes existing, the two transcripts would differ. On top of that: no
// answer ever carries a marker of bob's content (subjects, bodies, a keyword, a folder no
// command names), bob's state is byte-for-byte the same afterwards, logins as bob with alice's
// credentials fail exactly like logins as nobody, and neither sees the other's changes live.
import { describe, expect, it } from 'vitest';
import { decodeModifiedUtf7 } from '../../src/imap/protocol/utf7.js';
import type { Account } from '../../src/store/types.js';
import { PASSWORD, type TestGateway, startTestGateway } from '../helpers/gateway.js';
import { ImapLineClient, type Transcript, imapLogin } from '../helpers/imap-client.js';
import { figure } from './figures.js';

const BOB_PASSWORD = 'BobsOwnSecretP4ss!2024';

/** A synchronizing literal holding `text` (UTF-8), as it goes on the wire. */
const lit = (text: string): string => `{${Buffer.byteLength(text)}}\r\n${text}`;
/** A non-synchronizing one (RFC 7888), for APPEND's message. */
const litPlus = (text: string): string => `{${Buffer.byteLength(text)}+}\r\n${text}`;
const DOMAIN = 'agents.example.com';

/** Strings only bob's content holds: no answer to alice or carol may contain one. */
const MARKERS = ['BSECRET', 'BODYSECRET', '$BobOnly', 'Hidden7f3a', BOB_PASSWORD];

/**
 * [what alice names, what carol names, and how carol's answers read when spelled alice's way]:
 * the same shape, but carol's names nothing that exists. Quoted strings and literals are
 * written as they go on the wire. Carol's answers are compared after the name swaps below.
 */
type Pair = [string, string, ([string, string][] | undefined)?];

/** Carol's names back into alice's, longest first: Qqqqqq is Secret, qqq is bob. */
const TOKEN_SWAPS: [string, string][] = [
  ['Qqqqqq', 'Secret'],
  ['qqqqqq', 'secret'],
  ['QQQQQQ', 'SECRET'],
  ['\uff31\uff51\uff51\uff51\uff51\uff51', '\uff33\uff45\uff43\uff52\uff45\uff54'],
  ['\u0405qqqqq', '\u0405ecret'],
  ['Qqqqq\u0301q', 'Secre\u0301t'],
  ['Q&BDU-qqqq', 'S&BDU-cret'],
  ['Q\u0435qqqq', 'S\u0435cret'],
  ['Qqq', 'Bob'],
  ['qqq', 'bob'],
  ['QQQ', 'BOB'],
];

const NAME_PAIRS: Pair[] = [
  ['Secret', 'Qqqqqq'],
  ['secret', 'qqqqqq'],
  ['SECRET', 'QQQQQQ'],
  ['Secret/Deep', 'Qqqqqq/Deep'],
  ['"Secret/"', '"Qqqqqq/"'],
  ['"Secret//Deep"', '"Qqqqqq//Deep"'],
  ['"Secret/./Deep"', '"Qqqqqq/./Deep"'],
  ['"Secret/../Secret"', '"Qqqqqq/../Qqqqqq"'],
  ['"INBOX/../Secret"', '"INBOX/../Qqqqqq"'],
  ['"INBOX/../../bob/Secret"', '"INBOX/../../qqq/Qqqqqq"'],
  ['"./Secret"', '"./Qqqqqq"'],
  ['"/Secret"', '"/Qqqqqq"'],
  ['"//Secret"', '"//Qqqqqq"'],
  ['"../Secret"', '"../Qqqqqq"'],
  [`bob@${DOMAIN}`, `qqq@${DOMAIN}`],
  ['BOB@Agents.Example.COM', 'QQQ@Agents.Example.COM'],
  [`"bob@${DOMAIN}/INBOX"`, `"qqq@${DOMAIN}/INBOX"`],
  [`"Bob@${DOMAIN.toUpperCase()}/Secret"`, `"Qqq@${DOMAIN.toUpperCase()}/Qqqqqq"`],
  [`"../bob@${DOMAIN}/INBOX"`, `"../qqq@${DOMAIN}/INBOX"`],
  [`"INBOX/../bob@${DOMAIN}/Secret"`, `"INBOX/../qqq@${DOMAIN}/Qqqqqq"`],
  [`"user/bob@${DOMAIN}/INBOX"`, `"user/qqq@${DOMAIN}/INBOX"`],
  ['"user/bob/Secret"', '"user/qqq/Qqqqqq"'],
  ['"user.bob.Secret"', '"user.qqq.Qqqqqq"'],
  ['"#shared/bob/Secret"', '"#shared/qqq/Qqqqqq"'],
  ['"#user/bob/INBOX"', '"#user/qqq/INBOX"'],
  ['"#public/Secret"', '"#public/Qqqqqq"'],
  ['"~bob/Secret"', '"~qqq/Qqqqqq"'],
  ['"Other Users/bob/INBOX"', '"Other Users/qqq/INBOX"'],
  ['"Shared Folders/Secret"', '"Shared Folders/Qqqqqq"'],
  // NUL and other controls, in literals (a quoted string cannot hold them).
  [lit('Secret\0'), lit('Qqqqqq\0')],
  [lit('Secret\0bob'), lit('Qqqqqq\0qqq')],
  [lit(`bob@${DOMAIN}\0INBOX`), lit(`qqq@${DOMAIN}\0INBOX`)],
  [lit('INBOX\r\nSecret'), lit('INBOX\r\nQqqqqq')],
  [lit('Secret\u0001'), lit('Qqqqqq\u0001')],
  // Modified UTF-7 spelling out ASCII (RFC 3501 §5.1.3 forbids it), and UTF-7/UTF-8 look-alikes.
  ['"S&AGU-cret"', '"Q&AHE-qqqq"', [['"q"', '"e"']]],
  ['"&AFMAZQBjAHIAZQB0-"', '"&AFEAcQBxAHEAcQBx-"', [['"Q"', '"S"']]],
  [`"&AGI-ob@${DOMAIN}/INBOX"`, `"&AHE-qq@${DOMAIN}/INBOX"`, [['"q"', '"b"']]],
  ['"S&BDU-cret"', '"Q&BDU-qqqq"'],
  ['"\u0405ecret"', '"\u0405qqqqq"'],
  ['"\uff33\uff45\uff43\uff52\uff45\uff54"', '"\uff31\uff51\uff51\uff51\uff51\uff51"'],
  ['"Secret\u200b"', '"Qqqqqq\u200b"'],
  ['"Secre\u0301t"', '"Qqqqq\u0301q"'],
];

/** Patterns: alice's would match bob's folders if LIST looked across accounts. */
const PATTERN_PAIRS: Pair[] = [
  ['*', '*'],
  ['%', '%'],
  ['"*Secret*"', '"*Qqqqqq*"'],
  ['"Sec%"', '"Qqq%"'],
  ['"%/%"', '"%/%"'],
  ['"*/*"', '"*/*"'],
  ['"Hidden*"', '"Hidden*"'],
  [`"bob@${DOMAIN}/*"`, `"qqq@${DOMAIN}/*"`],
  ['"user/*"', '"user/*"'],
  ['"#shared/*"', '"#shared/*"'],
  ['"../*"', '"../*"'],
  ['"INBOX/../*"', '"INBOX/../*"'],
  ['"*\u0000"', '"*\u0000"'],
];

/** Commands naming a mailbox `{N}`, in an order that leaves both twins in the same state. */
const MAILBOX_COMMANDS = [
  'SELECT {N}',
  'EXAMINE {N}',
  'SELECT {N} (CONDSTORE)',
  'STATUS {N} (MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN SIZE HIGHESTMODSEQ DELETED)',
  'GETQUOTAROOT {N}',
  'SUBSCRIBE {N}',
  'LSUB "" {N}',
  'UNSUBSCRIBE {N}',
  'LIST "" {N}',
  'LIST {N} "*"',
  'LIST {N} "%"',
  'LIST (SUBSCRIBED) "" {N} RETURN (STATUS (MESSAGES UIDNEXT))',
  'LSUB {N} "*"',
  'SELECT INBOX',
  'UID COPY 1 {N}',
  'COPY 1:* {N}',
  'UID MOVE 9999 {N}',
  'UNSELECT',
  `APPEND {N} (\\Seen) ${litPlus('Subject: probe\r\n\r\nx')}`,
  'RENAME {N} Renamed',
  'RENAME Mine {N}',
  'RENAME {N} Mine',
  'CREATE {N}',
  'STATUS {N} (MESSAGES)',
  `APPEND {N} ${litPlus('Subject: probe\r\n\r\nx')}`,
  'SELECT {N}',
  'UID FETCH 1:* (FLAGS ENVELOPE)',
  'UNSELECT',
  'DELETE {N}',
  'DELETE {N}',
];

/** Commands about messages, with INBOX selected: bob's INBOX has UIDs 1–20, the twins' 1–2. */
const MESSAGE_COMMANDS = [
  'UID FETCH 3:20 (FLAGS ENVELOPE BODY.PEEK[])',
  'UID FETCH 1:* (UID FLAGS ENVELOPE BODY.PEEK[HEADER.FIELDS (SUBJECT)])',
  'FETCH 1:* (FLAGS RFC822.SIZE)',
  'FETCH 3 (BODY.PEEK[])',
  'UID FETCH 20 (BODY[])',
  'UID FETCH 1:* (FLAGS) (CHANGEDSINCE 1)',
  'UID STORE 3:20 +FLAGS (\\Deleted)',
  'UID STORE 3:20 FLAGS ($BobOnly)',
  'STORE 3:20 +FLAGS (\\Seen)',
  'UID COPY 3:20 Trash',
  'UID MOVE 3:20 Trash',
  'UID EXPUNGE 3:20',
  'UID SEARCH UID 3:20',
  'UID SEARCH SUBJECT BSECRET',
  'UID SEARCH TEXT BODYSECRET',
  'UID SEARCH KEYWORD $BobOnly',
  'SEARCH RETURN (MIN MAX COUNT ALL) ALL',
  'STATUS INBOX (MESSAGES UIDNEXT UNSEEN SIZE)',
  'EXPUNGE',
  'CLOSE',
  'SELECT INBOX (QRESYNC ({BOBVALIDITY} 1 1:20))',
  'UID FETCH 1:20 (FLAGS) (CHANGEDSINCE 1 VANISHED)',
  'NAMESPACE',
  'GETQUOTA ""',
  `GETQUOTA "bob@${DOMAIN}"`,
  'ID NIL',
];

interface Snapshot {
  folders: unknown[];
  messages: unknown[];
  subscriptions: string[];
}

function snapshot(g: TestGateway, account: Account): Snapshot {
  const { store } = g.gateway.services;
  const folders = store.mail.listMailboxes(account.id);
  return {
    folders: folders.map((f) => JSON.stringify(f)),
    messages: folders.flatMap((f) => store.mail.listMessages(f.id).map((m) => JSON.stringify({ ...m, raw: store.mail.readMessage(m.id)!.toString('base64') }))),
    subscriptions: store.mail.listSubscriptions(account.id),
  };
}

const message = (subject: string, body: string) => Buffer.from(`From: x@remote.example\r\nSubject: ${subject}\r\nMessage-ID: <${subject}@remote.example>\r\n\r\n${body}\r\n`);

async function isolationWorld() {
  const g = await startTestGateway({ WICKET_AUTH_MAX_FAILURES: '1000' });
  const { mailboxes } = g.gateway.services;
  const twins: Account[] = [];
  for (const local of ['alice', 'carol']) {
    const account = await g.account(local);
    mailboxes.create(account.id, 'Mine');
    const inbox = mailboxes.find(account.id, 'INBOX')!;
    for (let i = 1; i <= 2; i++) g.gateway.pipeline.append(account, inbox, message(`twin-${i}`, `twin body ${i}`), { flags: [], internalDate: new Date('2026-11-01T10:00:00Z') });
    twins.push(account);
  }
  const bob = await g.account('bob', { password: BOB_PASSWORD });
  for (const name of ['Secret/Deep', 'Hidden7f3a', 'Projects']) mailboxes.create(bob.id, name);
  mailboxes.subscribe(bob.id, 'Hidden7f3a', true);
  for (const folder of ['INBOX', 'Secret', 'Secret/Deep', 'Hidden7f3a']) {
    const box = mailboxes.find(bob.id, folder)!;
    for (let i = 1; i <= 20; i++) g.gateway.pipeline.append(bob, box, message(`BSECRET-${folder.replace(/\W/g, '')}-${i}`, `BODYSECRET ${i}`), { flags: ['$BobOnly'] });
  }
  return { g, alice: twins[0]!, carol: twins[1]!, bob };
}

const BASELINE = new Set(['INBOX', 'Sent', 'Drafts', 'Trash', 'Junk', 'Archive', 'Mine']);

/** Removes every mailbox and subscription a twin made beyond its starting set. */
function tidy(g: TestGateway, account: Account): void {
  const { mailboxes } = g.gateway.services;
  const extra = mailboxes
    .list(account.id)
    .map((f) => f.name)
    .filter((name) => !BASELINE.has(name))
    .sort((x, y) => y.split('/').length - x.split('/').length);
  for (const name of extra) mailboxes.delete(account.id, name);
  for (const name of mailboxes.subscriptions(account.id)) if (!BASELINE.has(name)) mailboxes.subscribe(account.id, name, false);
}

/** A transcript as text with what legitimately differs between the twins masked. */
function normalize(t: Transcript, swaps: [string, string][]): string {
  const swap = (line: string) => swaps.reduce((acc, [from, to]) => acc.split(from).join(to), line);
  // Names sort differently once swapped (LIST): compare the untagged lines as a set.
  const text = [...t.untagged.map(swap).sort(), swap(t.tagged)].join('\n');
  return text
    .replace(/(UIDVALIDITY|APPENDUID|COPYUID) \d+/g, '$1 N')
    .replace(/"\d{2}-\w{3}-\d{4} \d\d:\d\d:\d\d [+-]\d{4}"/g, '"DATE"');
}

/** The forms a name takes in answers: as sent (unquoted), and decoded from modified UTF-7. */
function forms(wire: string): string[] {
  const plain = wire.replace(/^\{\d+\+?\}\r\n/, '').replace(/^"(.*)"$/s, '$1');
  const out = [plain];
  try {
    out.push(decodeModifiedUtf7(plain));
  } catch {
    // not valid modified UTF-7: only the plain form
  }
  return out;
}

class Twins {
  checks = 0;
  readonly leaks: string[] = [];
  private typedBobsAddress = false;
  constructor(
    readonly a: ImapLineClient,
    readonly c: ImapLineClient,
    private readonly bob: Account,
  ) {}

  /** Runs the command on both twins (alice's with `target`, carol's with `control`) and compares. */
  async both(template: string, target: string, control: string, extraSwaps: [string, string][] = [], extra: Record<string, string> = {}): Promise<void> {
    const fill = (s: string, name: string) => Object.entries({ N: name, ...extra }).reduce((acc, [k, v]) => acc.split(`{${k}}`).join(v), s);
    const tag = `T${this.checks}`;
    const [ta, tc] = await Promise.all([this.a.transact(fill(template, target), tag), this.c.transact(fill(template, control), tag)]);
    this.checks++;
    const swaps: [string, string][] = [['carol@', 'alice@']];
    const [tf, cf] = [forms(target), forms(control)];
    cf.forEach((f, i) => {
      if (f !== tf[i]) swaps.push([f, tf[i]!]);
    });
    swaps.push(...extraSwaps, ...TOKEN_SWAPS);
    const [na, nc] = [normalize(ta, [['carol@', 'alice@']]), normalize(tc, swaps)];
    const command = fill(template, target).replace(/\r\n/g, '⏎');
    if (na !== nc) this.leaks.push(`${command}\n  alice (names bob's): ${na}\n  carol (names nothing): ${nc}`);
    for (const marker of MARKERS) if (na.includes(marker) || nc.includes(marker)) this.leaks.push(`${command}: an answer holds ${marker}: ${na}`);
    // The other account's address comes back only once alice has typed it (her own folders may be named so).
    if (command.toLowerCase().includes(this.bob.email)) this.typedBobsAddress = true;
    if (!this.typedBobsAddress && na.toLowerCase().includes(this.bob.email)) this.leaks.push(`${command}: bob's address in ${na}`);
  }
}

describe("IMAP isolation: another account's mailboxes and messages are out of reach", () => {
  it('every mailbox-naming command, with every trick of name, answers as for a name that exists nowhere', async () => {
    const { g, alice, carol, bob } = await isolationWorld();
    const before = snapshot(g, bob);
    const bobInbox = g.gateway.services.store.mail.getMailbox(bob.id, 'INBOX')!;
    const twins = new Twins(await imapLogin(g.ports.imap, alice.email, PASSWORD), await imapLogin(g.ports.imap, carol.email, PASSWORD), bob);

    for (const utf8 of [false, true]) {
      if (utf8) await twins.both('ENABLE UTF8=ACCEPT', '', '');
      for (const [target, control, swaps] of NAME_PAIRS) {
        for (const command of MAILBOX_COMMANDS) await twins.both(command, target, control, swaps);
        // What a pair made in the twins' own namespaces goes, so the next pair starts from the same state.
        for (const twin of [alice, carol]) tidy(g, twin);
        await twins.both('NOOP', '', '');
      }
      for (const [target, control, swaps] of PATTERN_PAIRS) {
        for (const command of ['LIST "" {N}', 'LIST (SUBSCRIBED RECURSIVEMATCH) "" {N}', 'LIST "" {N} RETURN (STATUS (MESSAGES) SPECIAL-USE)', 'LSUB "" {N}', 'LIST {N} ""']) {
          await twins.both(command, target, control, swaps);
        }
      }
      await twins.both('SELECT INBOX', '', '');
      for (const command of MESSAGE_COMMANDS) await twins.both(command, '', '', [], { BOBVALIDITY: String(bobInbox.uidValidity) });
    }

    figure('imap isolation commands compared', twins.checks, 'checks');
    figure('imap isolation mailbox names tried', NAME_PAIRS.length + PATTERN_PAIRS.length, 'names');
    figure('imap isolation leaks', twins.leaks.length);
    expect(twins.leaks.slice(0, 5)).toEqual([]);
    // Bob's folders, messages (bytes, flags, modseq) and subscriptions are exactly as they were.
    expect(snapshot(g, bob)).toEqual(before);
  });

  it("logging in as another account with one's own credentials fails exactly like logging in as nobody", async () => {
    const { g, alice, bob } = await isolationWorld();
    const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
    const attempts: [string, string][] = [
      [`LOGIN ${bob.email} "${PASSWORD}"`, `LOGIN qqq@${DOMAIN} "${PASSWORD}"`],
      [`LOGIN BOB@AGENTS.EXAMPLE.COM "${PASSWORD}"`, `LOGIN QQQ@AGENTS.EXAMPLE.COM "${PASSWORD}"`],
      [`LOGIN " bob@${DOMAIN}" "${PASSWORD}"`, `LOGIN " qqq@${DOMAIN}" "${PASSWORD}"`],
      [`LOGIN ${lit(`bob@${DOMAIN}\0alice`)} "${PASSWORD}"`, `LOGIN ${lit(`qqq@${DOMAIN}\0alice`)} "${PASSWORD}"`],
      // RFC 4616: the authorization identity names the account to act as; only oneself is allowed.
      [`AUTHENTICATE PLAIN ${b64(`${bob.email}\0${alice.email}\0${PASSWORD}`)}`, `AUTHENTICATE PLAIN ${b64(`qqq@${DOMAIN}\0${alice.email}\0${PASSWORD}`)}`],
      [`AUTHENTICATE PLAIN ${b64(`BOB@${DOMAIN}\0${alice.email}\0${PASSWORD}`)}`, `AUTHENTICATE PLAIN ${b64(`QQQ@${DOMAIN}\0${alice.email}\0${PASSWORD}`)}`],
      [`AUTHENTICATE PLAIN ${b64(`\0${bob.email}\0${PASSWORD}`)}`, `AUTHENTICATE PLAIN ${b64(`\0qqq@${DOMAIN}\0${PASSWORD}`)}`],
      [`AUTHENTICATE PLAIN ${b64(`${alice.email}\0${bob.email}\0${PASSWORD}`)}`, `AUTHENTICATE PLAIN ${b64(`${alice.email}\0qqq@${DOMAIN}\0${PASSWORD}`)}`],
    ];
    let checks = 0;
    for (const [asBob, asNobody] of attempts) {
      const { client: x } = await ImapLineClient.connect(g.ports.imap);
      const { client: y } = await ImapLineClient.connect(g.ports.imap);
      const a = await x.transact(asBob, 'L');
      const b = await y.transact(asNobody, 'L');
      expect(a.tagged, asBob).toMatch(/^L NO /);
      expect(a, asBob).toEqual(b);
      // Still not logged in: no mailbox can be opened.
      expect((await x.transact('SELECT INBOX', 'S')).tagged).toMatch(/^S BAD /);
      checks += 2;
      x.destroy();
      y.destroy();
    }
    figure('imap isolation login checks', checks, 'checks');
  });

  it("neither account hears of the other's changes while idling or selected", async () => {
    const { g, alice, bob } = await isolationWorld();
    const a = await imapLogin(g.ports.imap, alice.email, PASSWORD);
    const b = await imapLogin(g.ports.imap, bob.email, BOB_PASSWORD);
    await a.transact('SELECT INBOX', 'S');
    await b.transact('SELECT INBOX', 'S');
    a.write('I IDLE\r\n');
    expect(await a.response()).toBe('+ idling');
    // Bob's mailbox changes in every way while alice idles.
    await b.transact('UID STORE 1:5 +FLAGS (\\Flagged)');
    await b.transact(`APPEND INBOX ${litPlus('Subject: BSECRET-live\r\n\r\nx')}`);
    await b.transact('UID STORE 6 +FLAGS (\\Deleted)');
    await b.transact('EXPUNGE');
    g.gateway.pipeline.append(bob, g.gateway.services.mailboxes.find(bob.id, 'INBOX')!, message('BSECRET-pipeline', 'x'), { flags: [] });
    expect(await a.drain(300)).toBe('');
    a.write('DONE\r\n');
    expect((await a.until('I')).untagged).toEqual([]);
    // And the other way round (bob's own changes reported first).
    await b.transact('NOOP');
    b.write('J IDLE\r\n');
    expect(await b.response()).toBe('+ idling');
    await a.transact('UID STORE 1 +FLAGS (\\Flagged)');
    await a.transact(`APPEND INBOX ${litPlus('Subject: mine\r\n\r\nx')}`);
    expect(await b.drain(300)).toBe('');
    b.write('DONE\r\n');
    expect((await b.until('J')).untagged).toEqual([]);
    figure('imap isolation live-update checks', 2, 'checks');
  });
});
