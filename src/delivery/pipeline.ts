// The one way every message goes through (ARCHITECTURE.md principle 1). SMTP submission and
// the inbound MX call `deliver` today; IMAP APPEND and the API send will call it too.
//   submission: rewrite From (rewrite.ts) → Sent copy (\Seen) → local INBOX copies → queue
//   inbound:    Received field → local INBOX copies
// Everything a message produces is stored in one transaction (MailStore.deliver): when
// `deliver` returns, every copy and queue entry is committed and fsync'd, so the caller may
// acknowledge (SMTP 250). Changes are published on the change bus after that commit.
import { randomHex } from '../random-id.js';
import { randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { rfc5322Date } from '../mail/date.js';
import { fieldLines, prependFields, splitMessage } from '../mail/header-block.js';
import { searchFields } from '../mail/search-fields.js';
import { computeStructure } from '../mail/structure.js';
import { summarize } from '../mail/summary.js';
import type { Store } from '../store/store.js';
import type { Account, DsnRequest, Folder, MessageRecord, NewDelivery, NewQueueEntry } from '../store/types.js';
import { DeliveryRefused } from './refusal.js';
import { prepareSubmission } from './rewrite.js';
import { type PeerInfo, receivedField, returnPathField } from './trace.js';

export type Source =
  /**
   * `displayName` overrides the account's display name in the From field of this one message
   * (the API's `from[0].name`); the caller has checked it (accounts/display-name.ts). SMTP
   * submission never sets it: its From is always the account's canonical one.
   */
  | { kind: 'submission'; account: Account; peer: PeerInfo; displayName?: string }
  | { kind: 'inbound'; peer: PeerInfo };

export interface Envelope {
  /** The reverse path; '' for the null sender of a bounce (RFC 5321 §4.5.5). */
  mailFrom: string;
  recipients: { address: string; dsn: DsnRequest | null }[];
}

/** Where a recipient address goes. */
export type Route =
  | { kind: 'local'; account: Account }
  /** A registered domain, but no such account. */
  | { kind: 'unknown_local' }
  | { kind: 'remote' };

export interface DeliveryResult {
  /** Names the message in logs, the Received field and the SMTP reply. */
  id: string;
  stored: { accountId: string; folder: string; uid: number }[];
  queued: { id: string; recipient: string; status: 'queued' | 'held' }[];
}

const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/** What is kept beside a stored message: its structure for FETCH and its header text for SEARCH. */
const facts = (raw: Buffer) => ({ structure: computeStructure(raw), search: searchFields(raw) });

export class DeliveryPipeline {
  constructor(
    private readonly store: Store,
    private readonly config: Config,
    private readonly log: Logger,
    /** Told after a commit that put entries on the queue, so the worker can start at once. */
    private readonly onQueued: () => void = () => {},
    /** Told after every accepted message (metrics: received, sent, queued). */
    private readonly onAccepted: (source: Source['kind'], result: DeliveryResult) => void = () => {},
  ) {}

  route(address: string): Route {
    const lower = address.toLowerCase();
    const account = this.store.directory.findAccountByEmail(lower);
    if (account) return { kind: 'local', account };
    return this.store.directory.findDomainByName(domainOf(lower)) ? { kind: 'unknown_local' } : { kind: 'remote' };
  }

  /** A new id for a message on its way through (also used by the SMTP layer in replies). */
  newId(): string {
    return randomHex(8).toUpperCase();
  }

  async deliver(source: Source, envelope: Envelope, raw: Buffer, id = this.newId()): Promise<DeliveryResult> {
    const now = new Date();
    const delivery = source.kind === 'submission' ? this.submission(source, envelope, raw, id, now) : this.inbound(source, envelope, raw, id, now);
    if (delivery.copies.length === 0 && delivery.outbound.length === 0) {
      throw new DeliveryRefused(554, '5.5.1', 'no valid recipients');
    }
    const receipt = this.store.mail.deliver(delivery);
    // Acknowledged only once on disk: a 250, an API 200 — nothing a power cut could take back.
    await this.store.durable();
    const result: DeliveryResult = {
      id,
      stored: receipt.messages.map((m, i) => ({ accountId: m.accountId, folder: delivery.copies[i]!.folder, uid: m.uid })),
      queued: receipt.queued.map((q) => ({ id: q.id, recipient: q.rcptTo, status: q.status === 'held' ? 'held' : 'queued' })),
    };
    this.log.info(
      {
        id,
        source: source.kind,
        from: envelope.mailFrom,
        account: source.kind === 'submission' ? source.account.email : undefined,
        peer: source.peer.address,
        size: raw.length,
        stored: result.stored.length,
        queued: result.queued.length,
      },
      'message accepted',
    );
    if (result.queued.some((q) => q.status === 'queued')) this.onQueued();
    this.onAccepted(source.kind, result);
    return result;
  }

  /**
   * IMAP APPEND: the client's own bytes into one of its folders, byte for byte, with its flags
   * and internal date — summarized and structured here like every other message.
   */
  append(account: Account, folder: Folder, raw: Buffer, opts: { flags: string[]; internalDate?: Date | undefined }): MessageRecord {
    const summary = summarize(splitMessage(raw).headers);
    // Submission already stored a Sent copy; a client that also APPENDs its own (Thunderbird,
    // Apple Mail) must not end up with two. Same Message-ID, recent enough: keep the server's,
    // with the client's flags added, and answer with its UID.
    if (folder.specialUse === '\\Sent' && summary.messageId && this.config.imap.sentDedupMinutes > 0) {
      const since = Math.floor(Date.now() / 1000) - this.config.imap.sentDedupMinutes * 60;
      const existing = this.store.mail.findByMessageId(folder.id, summary.messageId, since);
      if (existing) {
        this.log.info({ account: account.email, message_id: summary.messageId, uid: existing.uid }, 'APPEND to Sent matched the stored copy; kept one');
        if (opts.flags.length === 0) return existing;
        const { updated } = this.store.mail.setFlags(account.id, folder.id, [existing.uid], 'add', opts.flags);
        return updated[0] ?? existing;
      }
    }
    return this.store.mail.appendMessage(account.id, folder.id, {
      raw,
      flags: opts.flags,
      internalDate: opts.internalDate ?? new Date(),
      summary,
      structure: computeStructure(raw),
      search: searchFields(raw),
    });
  }

  private submission(source: Extract<Source, { kind: 'submission' }>, envelope: Envelope, raw: Buffer, id: string, now: Date): NewDelivery {
    const { account, peer } = source;
    const prepared = prepareSubmission(raw, account, now, source.displayName);
    const date = rfc5322Date(now);
    const rcpts = envelope.recipients.map((r) => r.address);
    // RFC 5321 §4.4: trace fields on top, newest first — Return-Path over Received.
    const received = receivedField({ peer, hostname: this.config.hostname, id, recipients: rcpts, date });
    const localPrefix = fieldLines([returnPathField(envelope.mailFrom), received]);
    // The local and relayed copies are the outbound bytes under trace fields: stored as those
    // fields over one stored copy (the Sent copy itself when no Bcc was dropped).
    const outboundAt = prepared.outbound === prepared.sent ? 0 : 3;
    const bodies: NewDelivery['bodies'] = [
      prepared.sent,
      { prefix: localPrefix, base: outboundAt },
      { prefix: fieldLines([received]), base: outboundAt },
      ...(outboundAt === 3 ? [prepared.outbound] : []),
    ];
    const sentStructure = computeStructure(prepared.sent);
    const sentSearch = searchFields(prepared.sent);
    let localFacts: ReturnType<typeof facts> | undefined;
    const delivery: NewDelivery = {
      bodies,
      internalDate: now,
      // The sender's own copy, already read.
      copies: [
        {
          accountId: account.id,
          folder: 'Sent',
          flags: ['\\Seen'],
          body: 0,
          summary: prepared.summary,
          structure: sentStructure,
          search: sentSearch,
        },
      ],
      outbound: [],
    };
    const held = this.config.relay.mode === 'none';
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const seen = new Set<string>();
    for (const recipient of envelope.recipients) {
      if (seen.has(recipient.address.toLowerCase())) continue;
      seen.add(recipient.address.toLowerCase());
      const route = this.route(recipient.address);
      if (route.kind === 'local') {
        // Trace fields change neither ENVELOPE, BODYSTRUCTURE nor what SEARCH reads: without a
        // Bcc to drop, the local copy is the Sent copy under its Return-Path and Received.
        localFacts ??=
          prepared.outbound === prepared.sent
            ? { structure: sentStructure, search: sentSearch }
            : facts(Buffer.concat([localPrefix, prepared.outbound]));
        delivery.copies.push({ accountId: route.account.id, folder: 'INBOX', flags: [], body: 1, summary: prepared.summary, ...localFacts });
      } else if (route.kind === 'remote') {
        const entry: NewQueueEntry = {
          id: randomUUID(),
          applicationId: account.applicationId,
          accountId: account.id,
          body: 2,
          mailFrom: envelope.mailFrom,
          rcptTo: recipient.address,
          status: held ? 'held' : 'queued',
          nextAttemptAt: nowSeconds,
          expiresAt: nowSeconds + this.config.queue.lifetimeHours * 3600,
          messageId: prepared.messageId,
          dsn: recipient.dsn,
        };
        delivery.outbound.push(entry);
      } else {
        // Checked at RCPT time; the account went away before DATA ended.
        this.log.warn({ id, recipient: recipient.address }, 'recipient no longer exists; skipped');
      }
    }
    return delivery;
  }

  private inbound(source: Extract<Source, { kind: 'inbound' }>, envelope: Envelope, raw: Buffer, id: string, now: Date): NewDelivery {
    const rcpts = envelope.recipients.map((r) => r.address);
    const received = receivedField({ peer: source.peer, hostname: this.config.hostname, id, recipients: rcpts, date: rfc5322Date(now) });
    const stored = prependFields(raw, [returnPathField(envelope.mailFrom), received]);
    const summary = summarize(splitMessage(raw).headers);
    const structure = computeStructure(stored);
    const search = searchFields(stored);
    const delivery: NewDelivery = { bodies: [stored], internalDate: now, copies: [], outbound: [] };
    const seen = new Set<string>();
    for (const recipient of envelope.recipients) {
      const route = this.route(recipient.address);
      if (route.kind !== 'local') {
        this.log.warn({ id, recipient: recipient.address }, 'recipient no longer exists; skipped');
        continue;
      }
      // One copy per mailbox, however many times it was named (RFC 5321 §3.3 allows repeats).
      if (seen.has(route.account.id)) continue;
      seen.add(route.account.id);
      delivery.copies.push({ accountId: route.account.id, folder: 'INBOX', flags: [], body: 0, summary, structure, search });
    }
    return delivery;
  }
}
