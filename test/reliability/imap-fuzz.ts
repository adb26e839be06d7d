// The IMAP fuzzer's pieces: the seed corpus of real client transcripts, a dictionary of argument
// shapes every command grammar uses, mutations (byte flips, truncation, splicing, literal size
// edits, deep nesting…), and the check one input goes through — receiver → tokenizer → every
// command parser — which sorts what comes out into the protocol's own refusals (Bad, No,
// ProtocolSyntaxError) and anything else, which is a bug.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { COMMANDS } from '../../src/imap/commands/index.js';
import { Bad, No } from '../../src/imap/errors.js';
import { ProtocolSyntaxError } from '../../src/imap/protocol/grammar.js';
import { Receiver, type ReceiverLimits } from '../../src/imap/protocol/receiver.js';
import { isCommand, parseCommand } from '../../src/imap/protocol/tokenizer.js';
import type { Token } from '../../src/imap/protocol/types.js';

export const CORPUS_DIR = resolve(import.meta.dirname, 'corpus');

export interface Seed {
  client: string;
  bytes: Buffer;
  /** Offsets where a line starts (windows of the transcript begin and end there). */
  lineStarts: number[];
}

export function loadCorpus(): Seed[] {
  return readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith('.imap'))
    .sort()
    .map((f) => {
      const bytes = readFileSync(join(CORPUS_DIR, f));
      const lineStarts = [0];
      for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) lineStarts.push(i + 1);
      return { client: f.replace(/\.imap$/, ''), bytes, lineStarts };
    });
}

// ---------------------------------------------------------------------------------------------
// The dictionary: argument shapes from the grammars of every command (RFC 3501/9051 §9 and the
// extensions Wicket announces), valid and subtly invalid, by the position they fill.

/** Runs of wildcards that cannot match: what makes a backtracking matcher try every split. */
const WILDCARD_STORMS = [`"${'*a'.repeat(30)}x"`, `${'%'.repeat(40)}*${'%a'.repeat(20)}`, `"${'%*'.repeat(30)}x"`, `${'*'.repeat(40)}Z`, `"${'*/'.repeat(50)}"`, `"${'%*'.repeat(200)}"`];

export const POOLS = {
  seq: ['1', '1:*', '*', '5:2', '1,3:4,7', '4294967295', '4294967296', '0', '$', '1:', ':5', '1,,2', '99999999999999999999', '*:*', '1:4294967295', '2:1,1:2,*', '1:1:1', '-1', '"1"', '(1)'],
  mailbox: [
    'INBOX', 'inbox', '"INBOX"', '""', 'Sent', 'Trash', '"Projects/Q1"', 'Projects/Q1', 'Projects', '"INBOX/../Trash"', '..', '"../.."', '"/"', '"a//b"', '"a/"', '"/a"', '%', '*',
    '"&AMk-t&AOk-"', '"&-"', '"&Jjo"', '"&Jjo-!"', '"&AGE-"', '"&ZeVnLIqe-"', '"#shared/x"', '"~/x"', 'Ünïcödé', '"Ünïcödé"', '"user/bob@agents.example.com/INBOX"', '"BOB@AGENTS.EXAMPLE.COM"',
    '{3}\r\na\0b', '{0}\r\n', '~{2}\r\n\0\0', '{5+}\r\nhello', `"${'x'.repeat(600)}"`, `"${'a/'.repeat(300)}"`, 'NIL', '"\\\\"', '"a\\"b"',
  ],
  pattern: ['*', '%', '""', '"%/%"', 'INBOX*', '"inbox/%"', '"Projects/*"', '"*/*/*/*/*"', '"&Jjo-*"', '("INBOX" "Sent*")', '()', ...WILDCARD_STORMS],
  listSelect: ['(SUBSCRIBED)', '(SPECIAL-USE)', '(REMOTE RECURSIVEMATCH SUBSCRIBED)', '(RECURSIVEMATCH)', '()', '(FOO)', '("x")'],
  listReturn: ['RETURN (SPECIAL-USE)', 'RETURN (STATUS (MESSAGES UNSEEN))', 'RETURN (CHILDREN SUBSCRIBED MYRIGHTS)', 'RETURN ()', 'RETURN (STATUS (FOO))', 'RETURN', 'RETURN (STATUS)'],
  statusItems: ['(MESSAGES UIDNEXT UIDVALIDITY UNSEEN HIGHESTMODSEQ)', '(MESSAGES RECENT DELETED SIZE DELETED-STORAGE APPENDLIMIT)', '(FOO)', '(MESSAGES', '()', 'MESSAGES', '((MESSAGES))'],
  flags: ['(\\Seen)', '(\\Seen \\Answered \\Flagged \\Deleted \\Draft)', '(\\Recent)', '(\\*)', '($Junk $NotJunk NonJunk $Label1)', '()', '\\Seen', '(\\Foo)', '(\\)', '(a[b)', `(${'k '.repeat(300)})`, '("quoted")'],
  storeOp: ['+FLAGS', '-FLAGS', 'FLAGS', '+FLAGS.SILENT', '-flags.silent', 'FLAGS.SILENT', '+FLAGS.LOUD', 'X-GM-LABELS'],
  storeModifiers: ['(UNCHANGEDSINCE 5)', '(UNCHANGEDSINCE 0)', '(UNCHANGEDSINCE 18446744073709551616)', '(UNCHANGEDSINCE)', '(FOO 1)'],
  date: ['"23-Nov-2026 09:00:00 +0000"', '" 6-Dec-2026 10:00:00 +0100"', '"31-Feb-2026 25:61:61 +9999"', '"1-Jan-1900 00:00:00 +0000"', '"31-Dec-9999 23:59:59 -2359"', '"1-Jan-10000 00:00:00 +0000"', '"x"'],
  literal: ['{3}\r\nabc', '{0}\r\n', '{12+}\r\nSubject: x\r\n\r\n', '~{4}\r\n\0\0\0\0', '{30}\r\nContent-Type: multipart/mixed\r\n\r\n', '"not a literal"', '{5}\r\nab'],
  fetchItems: [
    'ALL', 'FAST', 'FULL', '(FLAGS UID)', 'BODY[]', 'BODY.PEEK[]', 'BODY[1.2.MIME]', 'BODY[HEADER.FIELDS (FROM TO)]', 'BODY.PEEK[HEADER.FIELDS.NOT (X-A)]', 'BODY[TEXT]<0.10>', 'BODY[]<5.0>',
    'BODY[1.MIME]<0.4096>', 'BODY[0]', 'BODY[MIME]', 'BODY[1.2.3.4.5.6.7.8.9.10.HEADER]', 'BODY[99999999999999999999]', 'BODY[]<99999999999999999999.1>', 'BODY[]<0.4294967295>', 'BINARY[1]',
    'RFC822', 'RFC822.HEADER', 'RFC822.TEXT', 'RFC822.SIZE', 'ENVELOPE', 'BODYSTRUCTURE', 'INTERNALDATE', 'MODSEQ', '(ALL FLAGS)', '(BODY[1] BODY[2] BODY[3.1] BODY[4.TEXT])', '()', 'BODY[',
    'BODY[HEADER.FIELDS ()]', 'BODY[HEADER.FIELDS (" ")]', '(BODY.PEEK[HEADER.FIELDS (Date Subject)] BODY.PEEK[2.1.HEADER])',
  ],
  fetchModifiers: ['(CHANGEDSINCE 42)', '(CHANGEDSINCE 42 VANISHED)', '(VANISHED)', '(CHANGEDSINCE -1)', '(CHANGEDSINCE 9223372036854775808)', '()', 'CHANGEDSINCE'],
  searchKey: [
    'ALL', 'UNSEEN', 'NOT DELETED', 'OR SUBJECT a FROM b', 'HEADER Message-ID <x@y>', 'SINCE 1-Nov-2026', 'BEFORE 1-Nov-2026', 'LARGER 10', 'SMALLER 4294967296', 'UID 1:*', '1:*', '*',
    'CHARSET UTF-8', 'CHARSET KOI8-R', 'RETURN (MIN MAX COUNT ALL)', 'RETURN ()', 'RETURN (SAVE)', 'MODSEQ 5', 'MODSEQ "/flags/\\\\Seen" all 5', 'KEYWORD $Junk', 'UNKEYWORD $Junk', 'TEXT "x"', 'BODY {3}\r\nabc',
    '(OR (OR a b) c)', 'NOT NOT NOT ALL', 'SENTSINCE 1-Jan-2026', 'ON 1-Jan-2026', 'NEW OLD RECENT', 'HEADER "" ""', 'FROM "\u00e9"', 'TO {2}\r\n\xff\xfe', `${'('.repeat(70)}ALL${')'.repeat(70)}`,
    `${'NOT '.repeat(200)}ALL`, `${'OR '.repeat(40)}${'ALL '.repeat(41)}`, 'SUBJECT', 'OR', 'X-GM-RAW "x"', 'YOUNGER 10',
  ],
  selectParams: ['(CONDSTORE)', '(QRESYNC (1733400000 42 1:40 (1,5 1,5)))', '(QRESYNC (0 0))', '(QRESYNC (1 2 3 4 5))', '(QRESYNC ())', '(QRESYNC)', '(FOO)', '(QRESYNC (4294967296 1))'],
  createParams: ['(USE (\\Sent))', '(USE (\\Archive \\Junk))', '(USE ())', '(USE (\\Foo))', '(FOO)'],
  capability: ['QRESYNC', 'CONDSTORE', 'UTF8=ACCEPT', 'IMAP4rev2', 'X-UNKNOWN', '"QRESYNC"', '(QRESYNC)'],
  idList: ['("name" "Thunderbird" "version" "128")', 'NIL', '("name")', '(NIL NIL)', `(${'"k" "v" '.repeat(40)})`, '("name" {3}\r\nabc)', '()'],
  quota: ['""', '"INBOX"', '"" (STORAGE 100)', '(STORAGE -1)', '(STORAGE 99999999999999999999)', '(MESSAGE 1 STORAGE 2)'],
  mechanism: ['PLAIN', 'LOGIN', 'XOAUTH2', 'DEFLATE', 'GZIP', 'plain'],
  sasl: ['=', '*', 'AGFAYg==', '!!!', 'AGFkYUBhZ2VudHMuZXhhbXBsZS5jb20ATXlTZWN1cmVQNHNzd29yZCEyMDI0', 'YQBiAGMAZA=='],
  string: ['"a\\"b"', '"a\\\\b"', '"\\q"', '"unterminated', 'NIL', 'nil', '{', '}', '{}', '{-1}', '{+}', '[', ']', '(', ')', '((((', '))))', '""', '"\u00e9"', '\u00ff\u00fe', 'ada@agents.example.com', '"MySecureP4ssword!2024"'],
};

type Pool = keyof typeof POOLS;

/** Every fragment, for the insertion mutation. */
export const FRAGMENTS: string[] = Object.values(POOLS).flat();

/**
 * Each command's argument positions (several shapes where the grammar has optional parts); a
 * search program is a run of keys. Kept in step with the command list: a command missing
 * here is reported by the test, so a new command is fuzzed with its own grammar too.
 */
export const SHAPES: Record<string, Pool[][]> = {
  CAPABILITY: [[]], NOOP: [[]], LOGOUT: [[]], STARTTLS: [[]], CHECK: [[]], CLOSE: [[]], EXPUNGE: [[]], IDLE: [[]], NAMESPACE: [[]], UNSELECT: [[]],
  LOGIN: [['string', 'string'], ['mailbox', 'string']],
  AUTHENTICATE: [['mechanism'], ['mechanism', 'sasl']],
  SELECT: [['mailbox'], ['mailbox', 'selectParams']],
  EXAMINE: [['mailbox'], ['mailbox', 'selectParams']],
  CREATE: [['mailbox'], ['mailbox', 'createParams']],
  DELETE: [['mailbox']],
  RENAME: [['mailbox', 'mailbox']],
  SUBSCRIBE: [['mailbox']],
  UNSUBSCRIBE: [['mailbox']],
  LIST: [['mailbox', 'pattern'], ['listSelect', 'mailbox', 'pattern'], ['mailbox', 'pattern', 'listReturn'], ['listSelect', 'mailbox', 'pattern', 'listReturn']],
  LSUB: [['mailbox', 'pattern']],
  STATUS: [['mailbox', 'statusItems']],
  APPEND: [['mailbox', 'literal'], ['mailbox', 'flags', 'literal'], ['mailbox', 'flags', 'date', 'literal'], ['mailbox', 'date', 'literal']],
  SEARCH: [['searchKey'], ['searchKey', 'searchKey'], ['searchKey', 'searchKey', 'searchKey', 'searchKey']],
  'UID SEARCH': [['searchKey'], ['searchKey', 'searchKey', 'searchKey']],
  FETCH: [['seq', 'fetchItems'], ['seq', 'fetchItems', 'fetchModifiers']],
  'UID FETCH': [['seq', 'fetchItems'], ['seq', 'fetchItems', 'fetchModifiers']],
  STORE: [['seq', 'storeOp', 'flags'], ['seq', 'storeModifiers', 'storeOp', 'flags']],
  'UID STORE': [['seq', 'storeOp', 'flags'], ['seq', 'storeModifiers', 'storeOp', 'flags']],
  COPY: [['seq', 'mailbox']],
  'UID COPY': [['seq', 'mailbox']],
  MOVE: [['seq', 'mailbox']],
  'UID MOVE': [['seq', 'mailbox']],
  'UID EXPUNGE': [['seq']],
  ID: [['idList']],
  ENABLE: [['capability'], ['capability', 'capability', 'capability']],
  COMPRESS: [['mechanism']],
  GETQUOTA: [['quota']],
  GETQUOTAROOT: [['mailbox']],
  SETQUOTA: [['quota', 'quota']],
};

/** The command names the receiver and parsers know, in the cases clients send them. */
export const NAMES: string[] = [...COMMANDS.keys()].flatMap((n) => [n, n.toLowerCase()]).concat(['UID', 'UID FOO', 'XLIST', 'DONE', '']);

// ---------------------------------------------------------------------------------------------
// Generated commands: a tag, a command name and arguments shaped by its grammar (or not).

const tagArb = fc.oneof(
  { arbitrary: fc.stringMatching(/^[A-Za-z0-9.]{1,8}$/), weight: 6 },
  { arbitrary: fc.constantFrom('A1', 'a', '1.1', '*', '+', '', 'x{3}', 'very-long-tag-'.repeat(8), '\u00e9', 'a"b', 'a\\b'), weight: 1 },
);

/** One argument of a kind: mostly from its pool, sometimes from another, sometimes noise. */
const poolArb = (pool: Pool): fc.Arbitrary<string> =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...POOLS[pool]), weight: 8 },
    { arbitrary: fc.constantFrom(...FRAGMENTS), weight: 1 },
    { arbitrary: fc.string({ maxLength: 12 }), weight: 1 },
  );

function argArb(): fc.Arbitrary<string> {
  const { arg } = fc.letrec<{ arg: string }>((tie) => ({
    arg: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom(...FRAGMENTS),
      fc.constantFrom(...FRAGMENTS),
      fc.string({ maxLength: 12 }),
      fc.uint8Array({ maxLength: 16 }).map((b) => Buffer.from(b).toString('latin1')),
      fc.uint8Array({ maxLength: 24 }).map((b) => `{${b.length}+}\r\n${Buffer.from(b).toString('latin1')}`),
      fc.array(tie('arg'), { maxLength: 4 }).map((items) => `(${items.join(' ')})`),
    ),
  }));
  return arg;
}

const SHAPED = Object.entries(SHAPES).flatMap(([name, shapes]) => shapes.map((shape) => ({ name, shape })));

/** A command with arguments in the places its grammar has them (each possibly wrong). */
const shapedArgsArb: fc.Arbitrary<{ name: string; args: string[] }> = fc
  .constantFrom(...SHAPED)
  .chain(({ name, shape }) =>
    fc.record({
      name: fc.constantFrom(name, name.toLowerCase()),
      args: (shape.length === 0 ? fc.constant([]) : fc.tuple(...shape.map(poolArb))) as fc.Arbitrary<string[]>,
      extra: fc.oneof({ arbitrary: fc.constant([] as string[]), weight: 8 }, { arbitrary: fc.array(argArb(), { minLength: 1, maxLength: 2 }), weight: 1 }),
      drop: fc.oneof({ arbitrary: fc.constant(-1), weight: 8 }, { arbitrary: fc.nat(), weight: 1 }),
    }),
  )
  .map(({ name, args, extra, drop }) => ({ name, args: [...args.filter((_, i) => drop < 0 || i !== drop % Math.max(1, args.length)), ...extra] }));

/** A command with any name and arguments from anywhere in the dictionary. */
const freeArgsArb: fc.Arbitrary<{ name: string; args: string[] }> = fc.record({ name: fc.constantFrom(...NAMES), args: fc.array(argArb(), { maxLength: 6 }) });

export const generatedCommandArb: fc.Arbitrary<Buffer> = fc
  .tuple(
    tagArb,
    fc.oneof({ arbitrary: shapedArgsArb, weight: 3 }, { arbitrary: freeArgsArb, weight: 1 }),
    fc.oneof({ arbitrary: fc.constant('\r\n'), weight: 6 }, { arbitrary: fc.constantFrom('\n', '', '\r'), weight: 1 }),
  )
  .map(([tag, { name, args }, eol]) => Buffer.from(`${tag} ${[name, ...args].join(' ')}${eol}`, 'latin1'));

// ---------------------------------------------------------------------------------------------
// Mutations of a corpus window.

export type Mutation =
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'bit'; at: number; bit: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'splice'; at: number; seed: number; from: number; length: number }
  | { kind: 'repeat'; at: number; length: number; times: number }
  | { kind: 'literal'; which: number; size: string }
  | { kind: 'nest'; at: number; to: number; depth: number; open: string; close: string }
  | { kind: 'case'; at: number; length: number }
  | { kind: 'eol'; which: number; to: string };

const LITERAL_SIZES = ['0', '1', '-1', '', '+', '4294967295', '4294967296', '99999999999999999999', '52428801', '9007199254740993', '00000000000000000001'];

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0, 10, 13, 32, 34, 40, 41, 42, 43, 91, 92, 93, 123, 125, 126, 128, 255)) }),
  fc.record({ kind: fc.constant('bit' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.constantFrom(' ', '\r\n', '\r', '\n', '\0', '\\', '"', '{', '}')) }),
  fc.record({ kind: fc.constant('splice' as const), at: fc.nat(), seed: fc.nat(), from: fc.nat(), length: fc.integer({ min: 1, max: 600 }) }),
  fc.record({ kind: fc.constant('repeat' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 80 }), times: fc.oneof(fc.integer({ min: 2, max: 8 }), fc.integer({ min: 2, max: 200 })) }),
  fc.record({ kind: fc.constant('literal' as const), which: fc.nat(), size: fc.oneof(fc.constantFrom(...LITERAL_SIZES), fc.nat({ max: 5000 }).map(String)) }),
  fc.record({
    kind: fc.constant('nest' as const),
    at: fc.nat(),
    to: fc.nat(),
    depth: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 80 }), weight: 5 }, { arbitrary: fc.integer({ min: 60, max: 70 }), weight: 3 }, { arbitrary: fc.integer({ min: 1, max: 20_000 }), weight: 1 }),
    open: fc.constantFrom('(', '[', '(((', '"(', '{1}\r\n('),
    close: fc.constantFrom(')', ']', ')))', '', ')"'),
  }),
  fc.record({ kind: fc.constant('case' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('eol' as const), which: fc.nat(), to: fc.constantFrom('\n', '\r', '', '\r\r\n', '\n\r', ' \r\n') }),
);

export function mutate(input: Buffer, mutations: Mutation[], corpus: Seed[]): Buffer {
  let b = input;
  const cat = (...parts: Buffer[]) => Buffer.concat(parts);
  for (const m of mutations) {
    switch (m.kind) {
      case 'flip':
      case 'bit': {
        if (b.length === 0) break;
        const at = m.at % b.length;
        const copy = Buffer.from(b);
        copy[at] = m.kind === 'flip' ? m.byte : copy[at]! ^ (1 << m.bit);
        b = copy;
        break;
      }
      case 'truncate':
        b = b.subarray(0, m.at % (b.length + 1));
        break;
      case 'delete': {
        const at = m.at % (b.length + 1);
        b = cat(b.subarray(0, at), b.subarray(at + m.length));
        break;
      }
      case 'insert': {
        const at = m.at % (b.length + 1);
        b = cat(b.subarray(0, at), Buffer.from(m.text, 'latin1'), b.subarray(at));
        break;
      }
      case 'splice': {
        const other = corpus[m.seed % corpus.length]!.bytes;
        const at = m.at % (b.length + 1);
        const from = m.from % (other.length + 1);
        b = cat(b.subarray(0, at), other.subarray(from, from + m.length));
        break;
      }
      case 'repeat': {
        const at = m.at % (b.length + 1);
        const piece = b.subarray(at, at + m.length);
        b = cat(b.subarray(0, at), ...Array<Buffer>(m.times).fill(piece), b.subarray(at + m.length));
        break;
      }
      case 'literal': {
        // Edit the size of one literal announcement: the data that follows no longer matches.
        const text = b.toString('latin1');
        const found = [...text.matchAll(/\{(\d*)(\+?)\}/g)];
        if (found.length === 0) break;
        const hit = found[m.which % found.length]!;
        const at = hit.index!;
        b = cat(b.subarray(0, at), Buffer.from(`{${m.size}${hit[2]}}`, 'latin1'), b.subarray(at + hit[0].length));
        break;
      }
      case 'nest': {
        const at = m.at % (b.length + 1);
        const to = at + (m.to % (b.length - at + 1));
        b = cat(b.subarray(0, at), Buffer.from(m.open.repeat(m.depth), 'latin1'), b.subarray(at, to), Buffer.from(m.close.repeat(m.depth), 'latin1'), b.subarray(to));
        break;
      }
      case 'case': {
        const at = m.at % (b.length + 1);
        const copy = Buffer.from(b);
        for (let i = at; i < Math.min(copy.length, at + m.length); i++) {
          const c = copy[i]!;
          if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) copy[i] = c ^ 0x20;
        }
        b = copy;
        break;
      }
      case 'eol': {
        const ends = [...b.toString('latin1').matchAll(/\r\n/g)];
        if (ends.length === 0) break;
        const at = ends[m.which % ends.length]!.index!;
        b = cat(b.subarray(0, at), Buffer.from(m.to, 'latin1'), b.subarray(at + 2));
        break;
      }
    }
  }
  return b;
}

/** A window of whole lines of one transcript (or all of it), mutated. */
export const mutatedCorpusArb = (corpus: Seed[], maxMutations = 6) =>
  fc
    .record({
      seed: fc.nat(),
      from: fc.nat(),
      lines: fc.oneof(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 60 })),
      mutations: fc.array(mutationArb, { minLength: 1, maxLength: maxMutations }),
    })
    .map(({ seed, from, lines, mutations }) => {
      const s = corpus[seed % corpus.length]!;
      const start = s.lineStarts[from % s.lineStarts.length]!;
      const end = s.lineStarts[Math.min(s.lineStarts.length - 1, (from % s.lineStarts.length) + lines)] ?? s.bytes.length;
      return mutate(s.bytes.subarray(start, end > start ? end : s.bytes.length), mutations, corpus);
    });

// ---------------------------------------------------------------------------------------------
// The check.

export const PRODUCTION_LIMITS: ReceiverLimits = { maxLineLength: 64 * 1024, maxLiteralSize: 50 * 1024 * 1024 };
export const TIGHT_LIMITS: ReceiverLimits = { maxLineLength: 256, maxLiteralSize: 64, maxCommandSize: 512 };

export class UnexpectedError extends Error {
  constructor(
    readonly where: string,
    override readonly cause: unknown,
    readonly input: Buffer,
  ) {
    super(`${where} threw ${describeError(cause)} on input ${JSON.stringify(input.toString('latin1').slice(0, 400))}`);
  }
}

function describeError(err: unknown): string {
  return err instanceof Error ? `${err.constructor.name}: ${err.message}\n${err.stack?.split('\n').slice(1, 6).join('\n')}` : String(err);
}

/** The protocol's own refusals: what a parser may throw. */
export const isProtocolError = (err: unknown): err is Error => err instanceof Bad || err instanceof No || err instanceof ProtocolSyntaxError;

const kinds = new Map<string, string>();

/** `Bad: unknown FETCH item …` with client text, numbers and quoted parts blurred: one kind per rule. */
export function errorKind(err: Error): string {
  const key = `${err.constructor.name}\0${err.message}`;
  let kind = kinds.get(key);
  if (kind === undefined) {
    kind = blur(err);
    if (kinds.size > 20_000) kinds.clear();
    kinds.set(key, kind);
  }
  return kind;
}

/** The rule behind a refusal: its message up to the first client-supplied part (a quote, a number, a bracket). */
function blur(err: Error): string {
  let rule = err.message.split(/["\[\d(]|: (?=[^a-z])/)[0]!.trim();
  // "unknown FETCH item BOTY.PEEK": the rule ends at its noun; the rest is the client's word.
  rule = rule.replace(/\b(item|items|modifier|parameter|option|algorithm|key|mechanism|flag|command)\b .*/, '$1');
  rule = rule.split(/\s+/).slice(0, 8).join(' ');
  return `${err.constructor.name}: ${rule}`;
}

export interface Stats {
  inputs: number;
  bytes: number;
  requests: number;
  parserCalls: number;
  errorKinds: Map<string, number>;
  maxMs: number;
  maxBuffered: number;
  events: Record<string, number>;
}

export const newStats = (): Stats => ({ inputs: 0, bytes: 0, requests: 0, parserCalls: 0, errorKinds: new Map(), maxMs: 0, maxBuffered: 0, events: {} });

const PARSERS = [...COMMANDS.values()];

/** The most a receiver may hold: command text, plus per announced literal its CRLF and data. */
export function memoryBound(limits: ReceiverLimits): number {
  const { maxLineLength: l, maxLiteralSize: s, maxCommandSize } = limits;
  const structural = l + Math.floor(l / 3) * (s + 2);
  return maxCommandSize === undefined ? structural : Math.min(structural, maxCommandSize + l);
}

function runParser(parse: (args: Token[], env: { utf8: boolean }) => unknown, args: Token[], utf8: boolean, where: string, input: Buffer, stats: Stats): void {
  stats.parserCalls++;
  try {
    parse(args, { utf8 });
  } catch (err) {
    if (!isProtocolError(err)) throw new UnexpectedError(where, err, input);
    const kind = errorKind(err);
    stats.errorKinds.set(kind, (stats.errorKinds.get(kind) ?? 0) + 1);
  }
}

/**
 * One input through the receiver (in the given chunks) and, for every request it frames, the
 * tokenizer, the command's own parser, and — so that every parser meets every shape — one of
 * the others, in turn. Throws UnexpectedError for anything but the protocol's refusals.
 */
export function checkInput(input: Buffer, cuts: number[], limits: ReceiverLimits, stats: Stats, crossFeed = true): void {
  const started = performance.now();
  stats.inputs++;
  stats.bytes += input.length;
  let receiver: Receiver;
  try {
    receiver = new Receiver(limits);
  } catch (err) {
    throw new UnexpectedError('Receiver constructor', err, input);
  }
  const points = [...new Set(cuts.map((c) => c % (input.length + 1)))].sort((a, b) => a - b).concat(input.length);
  let at = 0;
  let events = 0;
  for (const cut of points) {
    let out;
    try {
      out = receiver.push(input.subarray(at, cut));
    } catch (err) {
      throw new UnexpectedError('Receiver.push', err, input);
    }
    at = cut;
    if (receiver.bufferedBytes > memoryBound(limits)) throw new UnexpectedError('Receiver memory bound', new Error(`${receiver.bufferedBytes} bytes buffered`), input);
    stats.maxBuffered = Math.max(stats.maxBuffered, receiver.bufferedBytes);
    for (const event of out) {
      events++;
      stats.events[event.kind] = (stats.events[event.kind] ?? 0) + 1;
      if (event.kind !== 'request') continue;
      stats.requests++;
      let parsed;
      try {
        parsed = parseCommand(event.bytes);
      } catch (err) {
        throw new UnexpectedError('parseCommand', err, event.bytes);
      }
      if (!isCommand(parsed)) {
        if (typeof parsed.tag !== 'string' || parsed.tag.length === 0 || parsed.message.length === 0) {
          throw new UnexpectedError('parseCommand result', new Error(JSON.stringify(parsed)), event.bytes);
        }
        const kind = `tokenizer: ${parsed.message.split(/["\[\d(]/)[0]!.trim().split(/\s+/).slice(0, 8).join(' ')}`;
        stats.errorKinds.set(kind, (stats.errorKinds.get(kind) ?? 0) + 1);
        continue;
      }
      const own = COMMANDS.get(parsed.name);
      if (own) runParser(own.parse, parsed.args, stats.inputs % 2 === 0, `${own.name}.parse`, event.bytes, stats);
      // Every parser meets every shape: one other parser per request, in turn.
      if (crossFeed) {
        const other = PARSERS[stats.requests % PARSERS.length]!;
        if (other !== own) runParser(other.parse, parsed.args, stats.requests % 3 === 0, `${other.name}.parse`, event.bytes, stats);
      }
    }
  }
  // Every event consumes at least one byte: a finite input cannot produce endless events.
  if (events > input.length) throw new UnexpectedError('Receiver event count', new Error(`${events} events from ${input.length} bytes`), input);
  stats.maxMs = Math.max(stats.maxMs, performance.now() - started);
}
