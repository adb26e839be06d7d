// Property and fuzz tests for the Receiver and parseCommand together: random bytes, valid commands
// split at random points, and mutated commands (broken literals, stray braces and quotes). The
// pair must never throw or stall, the events must not depend on chunk boundaries, and the
// receiver's buffer must stay within its limits.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Receiver, type ReceiverEvent, type ReceiverLimits } from '../../../src/imap/protocol/receiver.js';
import { isCommand, parseCommand } from '../../../src/imap/protocol/tokenizer.js';
import type { Token } from '../../../src/imap/protocol/types.js';

/** The most a receiver may hold: command text, plus per announced literal its CRLF and data. */
function memoryBound(limits: ReceiverLimits): number {
  const { maxLineLength: l, maxLiteralSize: s, maxCommandSize } = limits;
  // Every accepted literal is announced by at least 3 bytes of text ("{0}").
  const structural = l + Math.floor(l / 3) * (s + 2);
  return maxCommandSize === undefined ? structural : Math.min(structural, maxCommandSize + l);
}

interface Run {
  events: ReceiverEvent[];
  maxBuffered: number;
}

function run(input: Buffer, cuts: number[], limits: ReceiverLimits): Run {
  const r = new Receiver(limits);
  const events: ReceiverEvent[] = [];
  let maxBuffered = 0;
  let at = 0;
  for (const cut of [...cuts.map((c) => c % (input.length + 1))].sort((a, b) => a - b).concat(input.length)) {
    events.push(...r.push(input.subarray(at, cut)));
    maxBuffered = Math.max(maxBuffered, r.bufferedBytes);
    at = cut;
  }
  return { events, maxBuffered };
}

function byteAtATime(input: Buffer, limits: ReceiverLimits): Run {
  return run(
    input,
    Array.from({ length: input.length }, (_, i) => i),
    limits,
  );
}

/** Runs input whole, at the given cuts, and byte by byte, checking every invariant; returns the events. */
function check(input: Buffer, cuts: number[], limits: ReceiverLimits): ReceiverEvent[] {
  const whole = run(input, [], limits);
  const split = run(input, cuts, limits);
  const bytewise = byteAtATime(input, limits);
  expect(split.events).toEqual(whole.events);
  expect(bytewise.events).toEqual(whole.events);
  expect(bytewise.maxBuffered).toBeLessThanOrEqual(memoryBound(limits));
  // Every event consumes at least one byte, so a finite input cannot produce endless events.
  expect(whole.events.length).toBeLessThanOrEqual(input.length);
  for (const event of whole.events) {
    if (event.kind === 'request') checkParse(event.bytes);
    else if (event.kind === 'literal-too-big') {
      expect(event.tag.length).toBeGreaterThan(0);
      // Over the literal limit, or (with maxCommandSize) over the whole-request limit.
      if (limits.maxCommandSize === undefined) expect(event.size).toBeGreaterThan(limits.maxLiteralSize);
      else expect(event.size).toBeGreaterThanOrEqual(0);
    }
  }
  return whole.events;
}

function checkParse(bytes: Buffer): void {
  const result = parseCommand(bytes);
  expect(typeof result.tag).toBe('string');
  expect(result.tag.length).toBeGreaterThan(0);
  if (isCommand(result)) {
    expect(result.name.length).toBeGreaterThan(0);
    expect(Array.isArray(result.args)).toBe(true);
  } else expect(result.message.length).toBeGreaterThan(0);
}

// ---------------------------------------------------------------------------------------------
// Valid commands, generated with the tokens they must parse back into.

interface Generated {
  wire: Buffer[];
  token: Token;
  sync: number;
}

const ATOM_CHARS = [...'abcXYZ0129.$:,*%-_]!#&\'+/<>=?@^`|}'];
const TAG_CHARS = [...'abcXYZ0129.$:,-_]!#&\'/<>=?@^`|}'];

const atomArb: fc.Arbitrary<Generated> = fc
  .tuple(fc.boolean(), fc.array(fc.constantFrom(...ATOM_CHARS), { minLength: 1, maxLength: 12 }))
  .map(([flag, chars]) => {
    const value = (flag ? '\\' : '') + chars.join('');
    return { wire: [Buffer.from(value)], token: { kind: 'atom', value }, sync: 0 };
  });

const quotedArb: fc.Arbitrary<Generated> = fc
  .string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 20 })
  .map((text) => ({
    wire: [Buffer.from(`"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`)],
    token: { kind: 'string', value: Buffer.from(text), literal: false },
    sync: 0,
  }));

const literalArb = (eol: string): fc.Arbitrary<Generated> =>
  fc.tuple(fc.uint8Array({ maxLength: 40 }), fc.constantFrom('{%d}', '{%d+}', '~{%d}')).map(([data, form]) => ({
    wire: [Buffer.from(form.replace('%d', String(data.length)) + eol), Buffer.from(data)],
    token: { kind: 'string', value: Buffer.from(data), literal: true },
    sync: form.endsWith('+}') ? 0 : 1,
  }));

function tokenArb(eol: string): fc.Arbitrary<Generated> {
  const { token } = fc.letrec<{ token: Generated }>((tie) => ({
    token: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      atomArb,
      quotedArb,
      literalArb(eol),
      fc.array(tie('token'), { maxLength: 4 }).map((items) => ({
        wire: [Buffer.from('('), ...joinSpace(items.map((i) => i.wire)), Buffer.from(')')],
        token: { kind: 'list', items: items.map((i) => i.token) } as Token,
        sync: items.reduce((n, i) => n + i.sync, 0),
      })),
    ),
  }));
  return token;
}

function joinSpace(parts: Buffer[][]): Buffer[] {
  return parts.flatMap((p, i) => (i === 0 ? p : [Buffer.from(' '), ...p]));
}

const commandArb = fc
  .constantFrom('\r\n', '\n')
  .chain((eol) =>
    fc.record({
      eol: fc.constant(eol),
      tag: fc.array(fc.constantFrom(...TAG_CHARS), { minLength: 1, maxLength: 8 }).map((c) => c.join('')),
      name: fc.constantFrom('NOOP', 'login', 'APPEND', 'Fetch', 'UID FETCH', 'uid store', 'X-CUSTOM'),
      args: fc.array(tokenArb(eol), { maxLength: 6 }),
    }),
  )
  .map(({ eol, tag, name, args }) => ({
    bytes: Buffer.concat([Buffer.from(`${tag} ${name}`), ...args.flatMap((a) => [Buffer.from(' '), ...a.wire]), Buffer.from(eol)]),
    expected: { tag, name: name.toUpperCase(), args: args.map((a) => a.token) },
    sync: args.reduce((n, a) => n + a.sync, 0),
  }));

const ROOMY: ReceiverLimits = { maxLineLength: 4096, maxLiteralSize: 64 };
const TIGHT: ReceiverLimits = { maxLineLength: 48, maxLiteralSize: 16 };
const CAPPED: ReceiverLimits = { maxLineLength: 48, maxLiteralSize: 16, maxCommandSize: 40 };

describe('Receiver + parseCommand (property and fuzz)', () => {
  it('frames and parses valid commands split anywhere', () => {
    fc.assert(
      fc.property(fc.array(commandArb, { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { maxLength: 8 }), (commands, cuts) => {
        const input = Buffer.concat(commands.map((c) => c.bytes));
        const events = check(input, cuts, ROOMY);
        const requests = events.filter((e) => e.kind === 'request');
        expect(requests).toHaveLength(commands.length);
        expect(events.filter((e) => e.kind === 'continue')).toHaveLength(commands.reduce((n, c) => n + c.sync, 0));
        requests.forEach((e, i) => expect(parseCommand(e.bytes)).toEqual(commands[i]!.expected));
      }),
      { numRuns: 400, seed: 3501 },
    );
  });

  it('survives random bytes', () => {
    const interesting = fc.constantFrom(0x0d, 0x0a, 0x7b, 0x7d, 0x2b, 0x22, 0x5c, 0x28, 0x29, 0x5b, 0x5d, 0x20, 0x7e, 0x31, 0x30, 0x41);
    const bytes = fc.array(fc.oneof(fc.integer({ min: 0, max: 255 }), interesting), { maxLength: 400, size: 'max' }).map((b) => Buffer.from(b));
    fc.assert(
      fc.property(bytes, fc.array(fc.nat(), { maxLength: 10 }), fc.constantFrom(ROOMY, TIGHT, CAPPED), (input, cuts, limits) => {
        check(input, cuts, limits);
        checkParse(input);
      }),
      { numRuns: 1500, seed: 9051 },
    );
  });

  it('survives mutated commands: broken literal sizes, stray braces, quotes and line ends', () => {
    const fragments = ['{', '}', '{0}\r\n', '{5}\r\n', '{99+}\r\n', '{3+}\n', '{100}\r\n', '"', '\\', '\r', '\n', '\r\n', '(', ')', '[', ']', '~{2}\r\n', ' '];
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...fragments) }),
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }) }),
      fc.record({ kind: fc.constant('repeat' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 60 }), times: fc.integer({ min: 2, max: 6 }) }),
    );
    fc.assert(
      fc.property(
        fc.array(commandArb, { minLength: 1, maxLength: 3 }),
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.constantFrom(ROOMY, TIGHT, CAPPED),
        (commands, mutations, cuts, limits) => {
          let input = Buffer.concat(commands.map((c) => c.bytes));
          for (const m of mutations) {
            const at = m.at % (input.length + 1);
            if (m.kind === 'insert') input = Buffer.concat([input.subarray(0, at), Buffer.from(m.text), input.subarray(at)]);
            else if (m.kind === 'flip' && at < input.length) input = Buffer.concat([input.subarray(0, at), Buffer.from([m.byte]), input.subarray(at + 1)]);
            else if (m.kind === 'delete') input = Buffer.concat([input.subarray(0, at), input.subarray(at + m.length)]);
            else if (m.kind === 'repeat') {
              const piece = input.subarray(at, at + m.length);
              input = Buffer.concat([input.subarray(0, at), ...Array<Buffer>(m.times).fill(piece), input.subarray(at + m.length)]);
            }
          }
          check(input, cuts, limits);
        },
      ),
      { numRuns: 1500, seed: 7888 },
    );
  });

  it('stays bounded and responsive on a long stream of literals and long lines', () => {
    const limits = TIGHT;
    const r = new Receiver(limits);
    const chunk = Buffer.from(`A1 APPEND x {16+}\r\n${'z'.repeat(16)} {16+}\r\n${'z'.repeat(16)} ${'y'.repeat(100)}\r\nA2 APPEND {999+}\r\n`);
    const started = performance.now();
    let events = 0;
    for (let i = 0; i < 2000; i++) {
      events += r.push(chunk).length;
      expect(r.bufferedBytes).toBeLessThanOrEqual(memoryBound(limits));
    }
    expect(events).toBeGreaterThan(0);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
