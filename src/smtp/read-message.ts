// Reads the DATA stream into one buffer. RFC 5321 §2.3.8: lines end in CRLF, and a bare CR or
// LF must not be sent. A message holding one is refused rather than guessed at: accepting
// "<LF>.<LF>" as the end of data, or normalizing it, is how SMTP smuggling works. smtp-server
// ends DATA only at <CRLF>.<CRLF>, so a smuggled command stays inside the message — and the
// message is refused here.
import type { SMTPServerDataStream } from 'smtp-server';

export type ReadOutcome =
  | { ok: true; raw: Buffer }
  | { ok: false; reason: 'too_big' | 'bare_newline' | 'aborted' };

export function readMessage(stream: SMTPServerDataStream): Promise<ReadOutcome> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bareNewline = false;
    let previous = -1;
    let settled = false;
    const settle = (outcome: ReadOutcome) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    stream.on('data', (chunk: Buffer) => {
      if (stream.sizeExceeded) return; // keep draining; the reply will be 552
      if (!bareNewline) {
        for (let i = 0; i < chunk.length; i++) {
          const byte = chunk[i]!;
          if (byte === 0x0a && previous !== 0x0d) bareNewline = true;
          if (previous === 0x0d && byte !== 0x0a) bareNewline = true;
          previous = byte;
        }
      }
      chunks.push(chunk);
    });
    stream.on('end', () => {
      // A CR as the very last byte would be bare too (the terminator's CRLF is not included).
      if (previous === 0x0d) bareNewline = true;
      if (stream.sizeExceeded) settle({ ok: false, reason: 'too_big' });
      else if (bareNewline) settle({ ok: false, reason: 'bare_newline' });
      else settle({ ok: true, raw: Buffer.concat(chunks) });
    });
    // The client left mid-message: nothing is stored.
    stream.on('error', () => settle({ ok: false, reason: 'aborted' }));
    stream.on('close', () => settle({ ok: false, reason: 'aborted' }));
  });
}
