// Incremental framing of client input into whole commands (RFC 3501 §2.2.1, §4.3, §7.5;
// RFC 9051 §2.2.1, §4.3). Bytes in, events out; no sockets, no parsing beyond what framing
// needs: where a line ends, whether it announces a literal, and how many bytes that literal is.
//
// A request is one command line with its literals inline, so the tokenizer sees exactly what
// the client sent. The receiver never buffers more than the limits allow: the text of a command
// (every byte that is not literal data) is capped by maxLineLength, each literal by
// maxLiteralSize, and optionally the whole request by maxCommandSize.
import { BACKSLASH, CR, DQUOTE, LF, SP, isValidTag } from './chars.js';

export interface ReceiverLimits {
  /** Most bytes of command text (everything but literal data, summed over one command's lines). */
  maxLineLength: number;
  /** Largest literal accepted; a larger one is refused with a `literal-too-big` event. */
  maxLiteralSize: number;
  /**
   * Largest whole request (text and literals). Without it a command may carry as many literals
   * as its text can announce (MULTIAPPEND, RFC 3502), each up to maxLiteralSize.
   */
  maxCommandSize?: number;
}

export type ReceiverEvent =
  /** One whole command: its lines joined by CRLF, literals inline, without the final line end. */
  | { kind: 'request'; bytes: Buffer }
  /** A synchronizing literal was announced: send `+ …` so the client sends its bytes (RFC 3501 §7.5). */
  | { kind: 'continue' }
  /** A literal above the limit; the command is dropped (answer `tag NO [TOOBIG]`, RFC 7888 §4, RFC 4469 §4.3). */
  | { kind: 'literal-too-big'; tag: string; size: number; synchronizing: boolean }
  /** Command text above maxLineLength; the command is dropped (answer `tag BAD`, or `* BAD` without a tag). */
  | { kind: 'line-too-long'; tag: string | null };

type Mode = 'line' | 'literal' | 'skip';

// States of the literal-announcement detector, run over the bytes of a line outside quotes.
const enum Ann {
  None,
  Open, // after "{"
  Digits, // after "{" DIGIT...
  Plus, // after "{" number "+"
  Closed, // after "}": the line may end here with a literal announcement
}

const CRLF = Buffer.from('\r\n');

export class Receiver {
  private readonly maxLine: number;
  private readonly maxLiteral: number;
  private readonly maxCommand: number;

  private mode: Mode = 'line';
  /** Finished pieces of the request being assembled: line segments (with CRLF) and literal data. */
  private parts: Buffer[] = [];
  private partsSize = 0;
  /** The line being read; grows up to maxLine bytes. */
  private line: Buffer;
  private lineLen = 0;
  /** Command text so far, over all lines of this command (the maxLineLength budget). */
  private textLen = 0;
  /** A CR was the last byte: it ends the line if LF follows, otherwise it is line content. */
  private pendingCR = false;
  /** The command was refused: read and drop up to the end of its last line. */
  private discarding = false;
  private remaining = 0;

  private inQuote = false;
  private escaped = false;
  private ann: Ann = Ann.None;
  private annSize = 0;
  private annSync = true;

  constructor(limits: ReceiverLimits) {
    const { maxLineLength, maxLiteralSize, maxCommandSize } = limits;
    if (!Number.isInteger(maxLineLength) || maxLineLength < 1) throw new RangeError('maxLineLength must be a positive integer');
    if (!Number.isInteger(maxLiteralSize) || maxLiteralSize < 0) throw new RangeError('maxLiteralSize must be a non-negative integer');
    if (maxCommandSize !== undefined && (!Number.isInteger(maxCommandSize) || maxCommandSize < 1)) {
      throw new RangeError('maxCommandSize must be a positive integer');
    }
    this.maxLine = maxLineLength;
    this.maxLiteral = maxLiteralSize;
    this.maxCommand = maxCommandSize ?? Number.POSITIVE_INFINITY;
    this.line = Buffer.allocUnsafe(Math.min(maxLineLength, 256));
  }

  /** Bytes held for the command being received (for monitoring and tests). */
  get bufferedBytes(): number {
    return this.partsSize + this.lineLen;
  }

  push(chunk: Buffer): ReceiverEvent[] {
    const events: ReceiverEvent[] = [];
    let i = 0;
    while (i < chunk.length) {
      if (this.mode === 'line') {
        i = this.scanLine(chunk, i, events);
        continue;
      }
      const n = Math.min(this.remaining, chunk.length - i);
      if (this.mode === 'literal') {
        // Copy: the caller may reuse its buffer, and a slice would pin the whole chunk.
        this.parts.push(Buffer.from(chunk.subarray(i, i + n)));
        this.partsSize += n;
      }
      this.remaining -= n;
      i += n;
      if (this.remaining === 0) this.mode = 'line';
    }
    return events;
  }

  /** Reads line bytes from `start` until the line ends and the mode changes, or the chunk ends. */
  private scanLine(chunk: Buffer, start: number, events: ReceiverEvent[]): number {
    for (let i = start; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (this.pendingCR) {
        this.pendingCR = false;
        if (b === LF) {
          this.endLine(events);
          if (this.mode !== 'line') return i + 1;
          continue;
        }
        // A CR not followed by LF is content; the tokenizer will reject it.
        this.content(CR, events);
      }
      if (b === CR) this.pendingCR = true;
      else if (b === LF) {
        // Bare LF ends a line too: liberal in what we accept (RFC 1122 §1.2.2), as many scripts send it.
        this.endLine(events);
        if (this.mode !== 'line') return i + 1;
      } else this.content(b, events);
    }
    return chunk.length;
  }

  private content(b: number, events: ReceiverEvent[]): void {
    this.track(b);
    if (this.discarding) return;
    if (this.textLen >= this.maxLine) {
      events.push({ kind: 'line-too-long', tag: this.currentTag() });
      this.dropRequest();
      this.discarding = true;
      return;
    }
    if (this.lineLen === this.line.length) {
      const grown = Buffer.allocUnsafe(Math.min(this.maxLine, this.line.length * 2));
      this.line.copy(grown, 0, 0, this.lineLen);
      this.line = grown;
    }
    this.line[this.lineLen++] = b;
    this.textLen++;
  }

  /**
   * Follows quoting and the `{n}` / `{n+}` announcement at the end of the line. A `{n}` inside a
   * quoted string is text, not a literal (quoted strings cannot span lines, RFC 3501 §4.3).
   */
  private track(b: number): void {
    if (this.inQuote) {
      if (this.escaped) this.escaped = false;
      else if (b === BACKSLASH) this.escaped = true;
      else if (b === DQUOTE) this.inQuote = false;
      return;
    }
    if (b === DQUOTE) {
      this.inQuote = true;
      this.ann = Ann.None;
      return;
    }
    if (b === 0x7b) {
      this.ann = Ann.Open;
      this.annSize = 0;
      return;
    }
    const digit = b >= 0x30 && b <= 0x39;
    switch (this.ann) {
      case Ann.Open:
      case Ann.Digits:
        if (digit) {
          // Saturate: a size this large is refused anyway, and must not lose its magnitude.
          this.annSize = Math.min(this.annSize * 10 + (b - 0x30), Number.MAX_SAFE_INTEGER);
          this.ann = Ann.Digits;
        } else if (this.ann === Ann.Digits && b === 0x2b) this.ann = Ann.Plus;
        else if (this.ann === Ann.Digits && b === 0x7d) {
          this.ann = Ann.Closed;
          this.annSync = true;
        } else this.ann = Ann.None;
        return;
      case Ann.Plus:
        if (b === 0x7d) {
          this.ann = Ann.Closed;
          this.annSync = false;
        } else this.ann = Ann.None;
        return;
      default:
        this.ann = Ann.None;
    }
  }

  private endLine(events: ReceiverEvent[]): void {
    // RFC 3501 §4.3: a literal is announced by `{n}` as the last thing on a line;
    // RFC 7888 §3: `{n+}` is the same without waiting for a continuation request.
    const literal = this.ann === Ann.Closed ? { size: this.annSize, sync: this.annSync } : null;
    this.inQuote = false;
    this.escaped = false;
    this.ann = Ann.None;

    if (this.discarding) {
      // A refused command's non-synchronizing literal arrives anyway: skip its bytes, then the
      // rest of that line. A synchronizing one is never sent, since we send no continuation.
      if (literal && !literal.sync) this.enter('skip', literal.size);
      else this.reset();
      return;
    }

    const segment = Buffer.from(this.line.subarray(0, this.lineLen));
    this.lineLen = 0;
    if (!literal) {
      this.parts.push(segment);
      events.push({ kind: 'request', bytes: Buffer.concat(this.parts) });
      this.reset();
      return;
    }

    const total = this.partsSize + segment.length + CRLF.length + literal.size;
    if (literal.size > this.maxLiteral || total > this.maxCommand) {
      const first = this.parts[0] ?? segment;
      events.push({ kind: 'literal-too-big', tag: firstWord(first, true) ?? '*', size: literal.size, synchronizing: literal.sync });
      if (literal.sync) {
        // RFC 3501 §7.5: the client waits for "+" before sending; it gets the tagged NO instead
        // and sends nothing more of this command.
        this.reset();
      } else {
        // RFC 7888 §4: the bytes of a non-synchronizing literal are on their way regardless.
        this.dropRequest();
        this.discarding = true;
        this.enter('skip', literal.size);
      }
      return;
    }

    // Line ends are normalised to CRLF after an announcement, so the tokenizer sees `{n}\r\n`.
    this.parts.push(segment, CRLF);
    this.partsSize += segment.length + CRLF.length;
    if (literal.sync) events.push({ kind: 'continue' });
    this.enter('literal', literal.size);
  }

  private enter(mode: 'literal' | 'skip', size: number): void {
    this.remaining = size;
    this.mode = size === 0 ? 'line' : mode;
  }

  /** The tag of the command being received, if its first word is complete and valid. */
  private currentTag(): string | null {
    const first = this.parts[0];
    if (first) return firstWord(first, true);
    return firstWord(this.line.subarray(0, this.lineLen), false);
  }

  private dropRequest(): void {
    this.parts = [];
    this.partsSize = 0;
    this.lineLen = 0;
  }

  private reset(): void {
    this.dropRequest();
    this.textLen = 0;
    this.discarding = false;
    this.mode = 'line';
    this.remaining = 0;
  }
}

/**
 * The first space-delimited word of a line, if it is a valid tag (RFC 3501 §9). When the line
 * is not complete, a word without a following space may be cut short, so it is not a tag yet.
 */
function firstWord(line: Buffer, complete: boolean): string | null {
  let end = 0;
  while (end < line.length && line[end] !== SP && line[end] !== CR && line[end] !== LF) end++;
  if (end === line.length && !complete) return null;
  const word = line.toString('latin1', 0, end);
  return isValidTag(word) ? word : null;
}
