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
import type { Account, DeliveryReceipt, DsnRequest, Folder, MessageRecord, NewDelivery, NewQueueEntry } from '../store/types.js';
import { attachmentsOf } from '../policy/attachments.js';
import { SPAM_HEADER_NAME, type SpamVerdict } from '../policy/spam/score.js';
import type { AppliedActions, RuleAction, SpamDetection } from '../policy/types.js';
import { Governance } from './governance.js';
import { place } from './placement.js';
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

/** What a delivery does once its copies are stored: counts and evaluation records. */
type AfterStore = (receipt: DeliveryReceipt) => void;

export interface PipelineOptions {
  /** The clock of daily counts and the audit trail (tests move it across a UTC midnight). */
  clock?: () => Date;
  /** Spam assessment of inbound mail for one recipient's settings (src/policy/spam); none: no spam checks. */
  assessSpam?: SpamAssessor;
}

export type SpamAssessor = (raw: Buffer, peer: { ip: string; helo: string; mailFrom: string }, settings: SpamDetection) => Promise<SpamVerdict | null>;

export class DeliveryPipeline {
  readonly governance: Governance;
  private readonly assessSpam: SpamAssessor | undefined;

  constructor(
    private readonly store: Store,
    private readonly config: Config,
    private readonly log: Logger,
    /** Told after a commit that put entries on the queue, so the worker can start at once. */
    private readonly onQueued: () => void = () => {},
    /** Told after every accepted message (metrics: received, sent, queued). */
    private readonly onAccepted: (source: Source['kind'], result: DeliveryResult) => void = () => {},
    options: PipelineOptions = {},
  ) {
    this.governance = new Governance(store, log, options.clock);
    this.assessSpam = options.assessSpam;
  }

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
    // The only waiting before the store: spam checks that ask DNS. Everything from the limit
    // checks to the counts below runs in one turn of the event loop, so two messages cannot
    // both take the last message of a daily limit.
    const spam = source.kind === 'inbound' ? await this.spamVerdicts(source, envelope, raw) : new Map<string, SpamVerdict>();
    const { delivery, after, refused } =
      source.kind === 'submission' ? this.submission(source, envelope, raw, id, now) : this.inbound(source, envelope, raw, id, now, spam);
    if (delivery.copies.length === 0 && delivery.outbound.length === 0) {
      throw refused ?? new DeliveryRefused(554, '5.5.1', 'no valid recipients');
    }
    const receipt = this.store.mail.deliver(delivery);
    after(receipt);
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
    // The account's policy holds for what its clients store too: the message size
    // (limit_size_total_mime → NO [TOOBIG]) and storage (limit_storage_total → NO [OVERQUOTA]).
    const size = this.governance.maxMessageSize(account);
    if (size !== null && raw.length > size) {
      throw new DeliveryRefused(552, '5.3.4', `the message is ${raw.length} bytes; this account's limit is ${size}`, { http: 413, imapCode: 'TOOBIG' });
    }
    refuse(this.governance.checkStorage(account, raw.length));
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

  private submission(source: Extract<Source, { kind: 'submission' }>, envelope: Envelope, raw: Buffer, id: string, now: Date): Plan {
    const { account, peer } = source;
    const g = this.governance;
    // The sender's policy: today's sends, then the message's size and attachments.
    refuse(g.checkSendQuota(account));
    refuse(g.checkMessage(account, raw, () => attachmentsOf(raw)));
    const prepared = prepareSubmission(raw, account, now, source.displayName);
    // Outbound rules (stage outbound_send): a block refuses the message and stores nothing.
    const outboundType = prepared.summary.inReplyTo?.length || prepared.summary.references?.length ? 'reply' : 'compose';
    const outbound = g.evaluate(account, 'outbound_send', 'outbound', {
      stage: 'outbound_send',
      from: account.email,
      recipients: [...new Set(envelope.recipients.map((r) => r.address.toLowerCase()))],
      outboundType,
      size: raw.length,
    });
    if (outbound?.decision.blocked) {
      outbound.record(null, { blocked: true });
      throw new DeliveryRefused(550, '5.7.1', "message refused by the sender's rules", { http: 403 });
    }
    refuse(g.checkStorage(account, prepared.sent.length));
    const sentPlace = this.placement(account, 'Sent', ['\\Seen'], outbound?.decision.actions ?? [], false);
    const evaluations: { copy: number; record: (messageId: string | null, applied: AppliedActions) => void; applied: AppliedActions }[] = [];
    if (outbound) evaluations.push({ copy: 0, record: outbound.record, applied: sentPlace.applied });
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
          folder: sentPlace.folder,
          flags: sentPlace.flags,
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
        const local = this.receiving(route.account, account.email, prepared.outbound, null);
        if ('refused' in local) {
          // Checked at RCPT time; reached only when the limit or a rule changed since.
          this.log.warn({ id, recipient: recipient.address, reason: local.refused.message }, 'local recipient refused the message; skipped');
          continue;
        }
        localFacts ??=
          prepared.outbound === prepared.sent
            ? { structure: sentStructure, search: sentSearch }
            : facts(Buffer.concat([localPrefix, prepared.outbound]));
        if (local.evaluation) evaluations.push({ copy: delivery.copies.length, ...local.evaluation });
        delivery.copies.push({ accountId: route.account.id, folder: local.folder, flags: local.flags, body: 1, summary: prepared.summary, ...localFacts });
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
    return { delivery, after: this.afterStore(account.id, delivery, evaluations) };
  }

  private inbound(
    source: Extract<Source, { kind: 'inbound' }>,
    envelope: Envelope,
    raw: Buffer,
    id: string,
    now: Date,
    spam: ReadonlyMap<string, SpamVerdict>,
  ): Plan {
    const rcpts = envelope.recipients.map((r) => r.address);
    const received = receivedField({ peer: source.peer, hostname: this.config.hostname, id, recipients: rcpts, date: rfc5322Date(now) });
    const stored = prependFields(raw, [returnPathField(envelope.mailFrom), received]);
    const summary = summarize(splitMessage(raw).headers);
    const structure = computeStructure(stored);
    const search = searchFields(stored);
    const delivery: NewDelivery = { bodies: [stored], internalDate: now, copies: [], outbound: [] };
    const sender = (summary.from[0]?.address ?? envelope.mailFrom).toLowerCase();
    const evaluations: { copy: number; record: (messageId: string | null, applied: AppliedActions) => void; applied: AppliedActions }[] = [];
    const spamBodies = new Map<string, number>();
    let refused: DeliveryRefused | undefined;
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
      const verdict = spam.get(route.account.id) ?? null;
      const local = this.receiving(route.account, sender, stored, verdict);
      if ('refused' in local) {
        // Each recipient was checked at RCPT; a refusal here (a limit reached meanwhile) drops
        // this copy, and refuses the whole message when no copy is left.
        this.log.warn({ id, recipient: recipient.address, reason: local.refused.message }, 'recipient refused the message; skipped');
        refused ??= local.refused;
        continue;
      }
      // The spam verdict is a header field of this recipient's copy: the stored body under it.
      let body = 0;
      if (verdict) {
        const header = `${SPAM_HEADER_NAME}: ${verdict.header}`;
        if (!spamBodies.has(header)) {
          spamBodies.set(header, delivery.bodies.length);
          delivery.bodies.push({ prefix: fieldLines([header]), base: 0 });
        }
        body = spamBodies.get(header)!;
      }
      if (local.evaluation) evaluations.push({ copy: delivery.copies.length, ...local.evaluation });
      delivery.copies.push({ accountId: route.account.id, folder: local.folder, flags: local.flags, body, summary, structure, search });
    }
    return { delivery, after: this.afterStore(null, delivery, evaluations), refused };
  }

  /**
   * A local recipient's side of a message (inbound mail, or a local account's submission):
   * its daily received count, storage and message limits, then its inbound rules (stage
   * inbox_processing) and the spam verdict decide the folder and flags of its copy.
   */
  private receiving(
    account: Account,
    sender: string,
    raw: Buffer,
    verdict: SpamVerdict | null,
  ): { refused: DeliveryRefused } | { folder: string; flags: string[]; evaluation?: { record: (messageId: string | null, applied: AppliedActions) => void; applied: AppliedActions } } {
    const g = this.governance;
    const refusal = g.checkReceiveQuota(account) ?? g.checkMessage(account, raw, () => attachmentsOf(raw)) ?? g.checkStorage(account, raw.length);
    if (refusal) return { refused: refusal };
    const evaluated = g.evaluate(account, 'inbox_processing', 'inbound', {
      stage: 'inbox_processing',
      from: sender,
      recipients: [account.email],
      size: raw.length,
    });
    if (evaluated?.decision.blocked) {
      evaluated.record(null, { blocked: true });
      return { refused: new DeliveryRefused(550, '5.7.1', `<${account.email}>: message refused by the recipient's rules`, { http: 403 }) };
    }
    // A sender whose mail the user took out of Junk before is trusted ($NotJunk).
    const isSpam = verdict?.isSpam === true && !this.store.governance.isNotJunk(account.id, sender);

    const placement = this.placement(account, 'INBOX', [], evaluated?.decision.actions ?? [], isSpam);
    return {
      folder: placement.folder,
      flags: placement.flags,
      ...(evaluated ? { evaluation: { record: evaluated.record, applied: placement.applied } } : {}),
    };
  }

  /**
   * The folder (by name) and flags of a copy: `home` with `flags` when nothing acts on it, else
   * as the actions and the spam verdict place it (placement.ts), the account's folders read only
   * then (and the sender's home is then its \\Sent folder, whatever its name).
   */
  private placement(account: Account, home: 'INBOX' | 'Sent', flags: string[], actions: readonly RuleAction[], spam: boolean): { folder: string; flags: string[]; applied: AppliedActions } {
    if (actions.length === 0 && !spam) return { folder: home, flags, applied: {} };
    const folders = this.store.mail.listMailboxes(account.id);
    const homeFolder = home === 'INBOX' ? folders.find((f) => f.name === 'INBOX') : (folders.find((f) => f.specialUse === '\\Sent') ?? folders.find((f) => f.name === 'Sent'));
    if (!homeFolder) throw new DeliveryRefused(451, '4.3.0', `account ${account.email} has no ${home} folder`);
    const placed = place(folders, homeFolder, flags, actions, spam);
    return { folder: placed.folder.name, flags: placed.flags, applied: placed.applied };
  }

  /** Counts (sent by `senderId`, received by each local copy) and evaluation records, once stored. */
  private afterStore(
    senderId: string | null,
    delivery: NewDelivery,
    evaluations: { copy: number; record: (messageId: string | null, applied: AppliedActions) => void; applied: AppliedActions }[],
  ): AfterStore {
    return (receipt) => {
      if (senderId) this.governance.count(senderId, 'sent');
      delivery.copies.forEach((copy, i) => {
        if (copy.accountId !== senderId || i > 0) this.governance.count(copy.accountId, 'received');
      });
      for (const e of evaluations) e.record(receipt.messages[e.copy]?.publicId ?? null, e.applied);
    };
  }

  /** Spam verdicts of an inbound message for each local recipient whose policy asks for them. */
  private async spamVerdicts(source: Extract<Source, { kind: 'inbound' }>, envelope: Envelope, raw: Buffer): Promise<Map<string, SpamVerdict>> {
    const verdicts = new Map<string, SpamVerdict>();
    if (!this.assessSpam) return verdicts;
    const bySettings = new Map<string, Promise<SpamVerdict | null>>();
    for (const r of envelope.recipients) {
      const route = this.route(r.address);
      if (route.kind !== 'local') continue;
      const settings = this.governance.policyOf(route.account)?.spamDetection ?? {};
      if (!settings.use_header_anomaly_detection && !settings.use_list_dnsbl) continue;
      const key = JSON.stringify(settings);
      if (!bySettings.has(key)) {
        bySettings.set(key, this.assessSpam(raw, { ip: source.peer.address, helo: source.peer.helo ?? '', mailFrom: envelope.mailFrom }, settings).catch((err: unknown) => {
          this.log.warn({ err }, 'spam assessment failed; message not scored');
          return null;
        }));
      }
      const verdict = await bySettings.get(key)!;
      if (verdict) verdicts.set(route.account.id, verdict);
    }
    return verdicts;
  }
}

/** What a delivery will store, and what to do once it is stored. */
interface Plan {
  delivery: NewDelivery;
  after: AfterStore;
  /** A recipient's refusal, reported when no copy is left to store. */
  refused?: DeliveryRefused | undefined;
}

function refuse(refusal: DeliveryRefused | null): void {
  if (refusal) throw refusal;
}
