// POST /v3/grants/{id}/messages/send: JSON, or multipart/form-data for large attachments (the
// hosted API's form: a `message` field holding the JSON request, plus one file part per
// attachment). The message is built and sent by messages/compose.ts through the delivery
// pipeline — the same From rewrite, Sent copy, local delivery and outbound queue as SMTP
// submission — and the answer is the stored Sent copy.
//   - from: only from[0].name may be given (a display name for this one message); an address
//     other than the grant's own is refused with 400.
//   - custom_headers may not set From, To, Cc, Bcc, Subject, Date, Message-ID, threading,
//     MIME or trace fields (400).
//   - Bcc is kept in the Sent copy only; recipients never see it.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DeliveryRefused } from '../../delivery/refusal.js';
import type { PeerInfo } from '../../delivery/trace.js';
import { type NewAttachment, type SendRequest, composeMessage, sendComposed } from '../../messages/compose.js';
import { describeIssues } from '../app.js';
import { ApiError, typeForStatus } from '../errors.js';
import { type AnyRoute, grantOf, route } from '../route.js';
import { messageObject } from '../views/message.js';
import { MessageView } from './messages.js';
import { idParam } from './schemas.js';

const GrantParams = z.strictObject({ grantId: idParam.describe('grant id, or the account address') });

const Participant = z.object({ name: z.string().max(1024).optional(), email: z.string().max(320) });
const Participants = z.array(Participant).max(1000);

const JsonAttachment = z.object({
  filename: z.string().min(1).max(255),
  content_type: z.string().max(255).optional(),
  content: z
    .string()
    .regex(/^[A-Za-z0-9+/=_\-\s]*$/, 'content must be base64')
    .describe('the file, base64'),
  content_id: z.string().max(255).optional().describe('for an inline image the HTML refers to as cid:…'),
  content_disposition: z.enum(['attachment', 'inline']).optional(),
  is_inline: z.boolean().optional(),
  size: z.number().optional().describe('ignored: the size is that of content'),
});

export const SendBody = z.strictObject({
  from: z
    .array(z.object({ name: z.string().optional(), email: z.string().optional() }))
    .max(1, 'from may name one sender only')
    .optional()
    .describe("[{name}]: this message's display name; the address is always the grant's"),
  to: Participants.optional(),
  cc: Participants.optional(),
  bcc: Participants.optional(),
  reply_to: Participants.optional(),
  subject: z.string().max(998).optional(),
  body: z.string().optional().describe('HTML, or plain text with is_plaintext'),
  is_plaintext: z.boolean().optional(),
  attachments: z.array(JsonAttachment).max(100).optional(),
  custom_headers: z.array(z.object({ name: z.string(), value: z.string() })).max(100).optional(),
  reply_to_message_id: z.string().min(1).max(64).optional().describe('a message of this grant: sets In-Reply-To and References'),
  // Accepted for compatibility with the hosted API's SDKs, and ignored.
  metadata: z.record(z.string(), z.unknown()).optional(),
  tracking_options: z.unknown().optional(),
});

type SendBody = z.infer<typeof SendBody>;

function validate(value: unknown): SendBody {
  const result = SendBody.safeParse(value);
  if (!result.success) throw new ApiError(400, 'api.invalid_request_error', describeIssues('body', result.error));
  return result.data;
}

/** The JSON request and the file parts of a multipart/form-data send. */
async function readMultipart(req: FastifyRequest): Promise<{ body: SendBody; files: NewAttachment[] }> {
  let message: unknown;
  const files: NewAttachment[] = [];
  for await (const part of req.parts()) {
    if (part.type === 'file') {
      const content = await part.toBuffer();
      files.push({ filename: part.filename || part.fieldname, contentType: part.mimetype || undefined, content });
    } else if (part.fieldname === 'message') {
      if (typeof part.value !== 'string') throw new ApiError(400, 'api.invalid_request_payload', 'the message field must be JSON text');
      try {
        message = JSON.parse(part.value);
      } catch (err) {
        throw new ApiError(400, 'api.invalid_request_payload', `malformed JSON in the message field: ${(err as Error).message}`);
      }
    } else {
      throw new ApiError(400, 'api.invalid_request_error', `unexpected form field ${part.fieldname}: send the request as JSON in the message field`);
    }
  }
  if (message === undefined) throw new ApiError(400, 'api.invalid_request_payload', 'the form has no message field (the JSON request)');
  return { body: validate(message), files };
}

function toRequest(body: SendBody, files: NewAttachment[]): SendRequest {
  const attachments: NewAttachment[] = (body.attachments ?? []).map((a) => ({
    filename: a.filename,
    contentType: a.content_type,
    content: Buffer.from(a.content, 'base64'),
    contentId: a.content_id,
    contentDisposition: a.content_disposition ?? (a.is_inline ? 'inline' : undefined),
  }));
  return {
    from: body.from?.map((f) => ({ name: f.name, email: f.email ?? '' })),
    to: body.to,
    cc: body.cc,
    bcc: body.bcc,
    replyTo: body.reply_to,
    subject: body.subject,
    body: body.body,
    isPlaintext: body.is_plaintext,
    attachments: [...attachments, ...files],
    customHeaders: body.custom_headers,
    replyToMessageId: body.reply_to_message_id,
  };
}

/**
 * The pipeline's refusal as an API answer: the status it names (a daily limit 429 with
 * Retry-After, a blocking rule 403, a size 413), else policy → 403, temporary → 503, else 400.
 */
function refusal(err: DeliveryRefused): ApiError {
  const headers: Record<string, string> = err.extra.retryAfterSeconds !== undefined ? { 'Retry-After': String(err.extra.retryAfterSeconds) } : {};
  if (err.extra.http) return new ApiError(err.extra.http, typeForStatus(err.extra.http), err.message, headers);
  if (!err.permanent) return new ApiError(503, 'api.service_unavailable', err.message, headers);
  if (err.enhanced.startsWith('5.7.')) return new ApiError(403, 'api.forbidden_error', err.message);
  if (err.enhanced === '5.3.4') return new ApiError(413, 'api.payload_too_large', err.message);
  return new ApiError(400, 'api.invalid_request_error', err.message);
}

export const sendRoutes: AnyRoute[] = [
  route({
    method: 'POST',
    path: '/v3/grants/:grantId/messages/send',
    tag: 'Messages',
    summary: 'Send a message (JSON, or multipart/form-data with a message field and file parts)',
    description:
      'Goes through the same pipeline as SMTP submission: From is the grant (from[0].name may change the display name), a copy is stored in Sent, local recipients get it at once, others go to the outbound queue. Answers the Sent copy.',
    params: GrantParams,
    body: SendBody,
    multipart: true,
    response: MessageView,
    handler: async ({ params, ctx, req }) => {
      const account = grantOf(ctx, params.grantId);
      if (!req.isMultipart() && (req.body === undefined || req.body === null)) {
        throw new ApiError(400, 'api.invalid_request_payload', 'a JSON body is required (Content-Type: application/json), or multipart/form-data');
      }
      const { body, files } = req.isMultipart() ? await readMultipart(req) : { body: validate(req.body), files: [] };
      const { store } = ctx.services;
      const composed = await composeMessage(store, ctx.pipeline, account, toRequest(body, files), new Date());
      const limit = ctx.config.smtp.submissionMaxSize;
      if (limit > 0 && composed.raw.length > limit) {
        throw new ApiError(413, 'api.payload_too_large', `the message is ${composed.raw.length} bytes; the limit is ${limit}`);
      }
      const peer: PeerInfo = { address: req.ip, helo: 'api', protocol: req.protocol === 'https' ? 'HTTPS' : 'HTTP', tls: null };
      try {
        return messageObject(store, await sendComposed(store, ctx.pipeline, account, composed, peer));
      } catch (err) {
        if (err instanceof DeliveryRefused) throw refusal(err);
        throw err;
      }
    },
  }),
];
