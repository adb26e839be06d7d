// One IMAP session: the state machine of RFC 3501 §3 (not authenticated → authenticated →
// selected → logout), command dispatch, and the updates it owes the client. Commands run one
// at a time, in the order they arrived (pipelined commands included).
import { randomHex } from '../random-id.js';
import { UnavailableError, WicketError } from '../errors.js';
import type { Account, Change } from '../store/types.js';
import { capabilities } from './capabilities.js';
import {
  type AuthenticatedContext,
  type BaseContext,
  type CommandDef,
  type ImapServices,
  type SelectedContext,
  type SessionState,
} from './command.js';
import { COMMANDS } from './commands/index.js';
import { Bad, Bye, No } from './errors.js';
import { ProtocolSyntaxError } from './protocol/grammar.js';
import { claimRecent } from './recent.js';
import type { ReceiverEvent } from './protocol/receiver.js';
import { parseCommand } from './protocol/tokenizer.js';
import type { SelectedMailbox } from './selected.js';

/** The socket side, provided by the connection. */
export interface Transport {
  readonly secure: boolean;
  readonly remoteAddress: string;
  write(data: Buffer): void;
  /** Resolves when the socket's send buffer has room again. */
  drained(): Promise<void>;
  /** COMPRESS=DEFLATE can still be started (RFC 4978). */
  readonly compressible: boolean;
  /** Starts DEFLATE in both directions right after the tagged OK. */
  startCompression(): void;
  /** Upgrades the socket to TLS; input buffered before the handshake is discarded. */
  startTls(): Promise<void>;
  /** The session logged in: the (longer) post-login inactivity timer applies from now. */
  loggedIn?(): void;
  close(): void;
}

type State =
  | { kind: 'not_authenticated' }
  | { kind: 'authenticated'; account: Account }
  | { kind: 'selected'; account: Account; mailbox: SelectedMailbox }
  | { kind: 'logout' };

const CRLF = Buffer.from('\r\n');

export class ImapSession {
  readonly id = randomHex(6);
  private state: State = { kind: 'not_authenticated' };
  /** Extensions turned on with ENABLE (RFC 5161). */
  private readonly enabled = new Set<string>();
  /** In IDLE: changes are written as they happen, not at the next command. */
  private idling = false;
  private idleFlushScheduled = false;
  private waiter: ((line: Buffer) => void) | null = null;
  private unsubscribe: (() => void) | null = null;
  private closed = false;

  constructor(
    private readonly transport: Transport,
    private readonly services: ImapServices,
    /** Whether this client may log in without TLS (loopback, when trusted). */
    private readonly trustedPlaintext: boolean,
  ) {}

  /** A command is waiting for the client's next line (AUTHENTICATE continuation). */
  get waitingForLine(): boolean {
    return this.waiter !== null;
  }

  /** RFC 6855: mailbox names and strings in UTF-8 once UTF8=ACCEPT is enabled. */
  private get utf8(): boolean {
    return this.enabled.has('UTF8=ACCEPT');
  }

  get loginAllowed(): boolean {
    return this.transport.secure || this.trustedPlaintext;
  }

  /** RFC 3501 §7.1.1: the greeting, with the capabilities so clients need not ask. */
  greet(): void {
    if (this.services.auth.isThrottled(this.transport.remoteAddress)) {
      this.write(`* BYE [UNAVAILABLE] too many failed logins from your address; try again later`);
      this.end();
      return;
    }
    this.write(`* OK [CAPABILITY ${this.capabilities().join(' ')}] ${this.services.config.hostname} Wicket IMAP ready`);
  }

  capabilities(): string[] {
    return capabilities({
      authenticated: this.state.kind === 'authenticated' || this.state.kind === 'selected',
      secure: this.transport.secure,
      loginAllowed: this.loginAllowed,
      appendLimit: this.services.config.imap.maxLiteralSize,
      compressible: this.transport.compressible,
    });
  }

  /** One event from the receiver; the connection calls this for each, in order, awaiting each. */
  async handle(event: ReceiverEvent): Promise<void> {
    if (this.closed) return;
    switch (event.kind) {
      case 'continue':
        // RFC 3501 §7.5: the client may send the literal now.
        this.write('+ Ready for literal data');
        return;
      case 'literal-too-big':
        this.write(`${event.tag ?? '*'} NO [TOOBIG] a literal of ${event.size} bytes is over the limit of ${this.services.config.imap.maxLiteralSize}`);
        return;
      case 'line-too-long':
        this.write(`${event.tag ?? '*'} BAD command line too long (limit ${this.services.config.imap.maxLineLength} bytes)`);
        return;
      case 'request':
        if (this.waiter) {
          const waiter = this.waiter;
          this.waiter = null;
          waiter(event.bytes);
          return;
        }
        await this.command(event.bytes);
    }
  }

  /** The connection went away (or is closing): stop listening for changes. */
  close(): void {
    this.closed = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.waiter = null;
  }

  // ---- dispatch ----

  private async command(bytes: Buffer): Promise<void> {
    const parsed = parseCommand(bytes);
    if ('message' in parsed) {
      this.write(`${parsed.tag} BAD ${parsed.message}`);
      return;
    }
    const { tag, name, args } = parsed;
    const def = COMMANDS.get(name);
    if (!def) {
      this.write(`${tag} BAD unknown command ${name.slice(0, 40)}`);
      return;
    }
    if (!def.states.includes(this.stateName())) {
      this.write(`${tag} BAD ${name} is not allowed ${this.stateDescription(def)}`);
      return;
    }
    try {
      const argsParsed = def.parse(args, { utf8: this.utf8 });
      const done = await def.run(this.context(tag, def), argsParsed);
      // Nothing a command changed is acknowledged before it is on disk (group commit).
      await this.services.store.durable().catch((err: unknown) => {
        // A read whose bookkeeping the disk cannot take (a full disk) loses only that: the
        // messages stay \Recent or unseen; what the client asked for is answered.
        if (!def.read || !(err instanceof UnavailableError)) throw err;
        this.services.log.warn({ session: this.id, command: def.name, error: err.message }, 'imap read answered; its bookkeeping was not stored');
      });
      this.flushUpdates(def);
      if (this.state.kind === 'logout') {
        this.write(`${tag} OK ${done?.text ?? `${name} completed`}`);
        this.end();
        return;
      }
      this.write(`${tag} OK${done?.code ? ` [${done.code}]` : ''} ${done?.text ?? `${name} completed`}`);
    } catch (err) {
      this.fail(tag, def, err);
    }
  }

  private fail(tag: string, def: CommandDef, err: unknown): void {
    if (err instanceof Bye) {
      this.write(`* BYE ${err.message}`);
      this.end();
      return;
    }
    this.flushUpdates(def);
    if (err instanceof Bad) this.write(`${tag} BAD${err.code ? ` [${err.code}]` : ''} ${err.message}`);
    else if (err instanceof ProtocolSyntaxError) this.write(`${tag} BAD ${err.message}`);
    else if (err instanceof No) this.write(`${tag} NO${err.code ? ` [${err.code}]` : ''} ${err.message}`);
    else if (err instanceof WicketError) {
      // Service errors (mailbox rules) map onto RFC 5530 codes. A full disk (DiskFullError) is
      // UNAVAILABLE, "temporary failure because a subsystem is down" (RFC 5530 §3): not
      // OVERQUOTA, which speaks of the account's own quota (RFC 9208 §7.1) that deleting mail
      // would cure, nor LIMIT, a fixed limit that trying again never passes.
      const code = err.kind === 'not_found' ? 'NONEXISTENT' : err.kind === 'conflict' ? 'ALREADYEXISTS' : err.kind === 'invalid' ? 'CANNOT' : 'UNAVAILABLE';
      this.write(`${tag} NO [${code}] ${err.message}`);
    } else {
      this.services.log.error({ err, session: this.id, command: def.name }, 'imap command failed');
      this.write(`${tag} NO [SERVERBUG] internal error; the session goes on`);
    }
  }

  /** Reports what other sessions and deliveries changed in the selected mailbox. */
  private flushUpdates(def: CommandDef | null): void {
    if (this.state.kind !== 'selected') return;
    const allowExpunge = def?.expungeSafe ?? true;
    const mailbox = this.state.mailbox;
    const { mail } = this.services.store;
    const lines = mailbox.flush({
      allowExpunge,
      condstore: this.enabled.has('CONDSTORE'),
      qresync: this.enabled.has('QRESYNC'),
      recentOf: (uids) =>
        mailbox.readOnly ? mail.getMessages(mailbox.folderId, uids).filter((m) => m.recent).map((m) => m.uid) : claimRecent(mail, mailbox.folderId, uids),
    });
    for (const line of lines) this.write(`* ${line}`);
  }

  // ---- context given to commands ----

  private context(tag: string, def: CommandDef): BaseContext | AuthenticatedContext | SelectedContext {
    const session = this;
    const base: BaseContext = {
      id: this.id,
      tag,
      secure: this.transport.secure,
      remoteAddress: this.transport.remoteAddress,
      services: this.services,
      utf8: this.utf8,
      loginAllowed: this.loginAllowed,
      capabilities: () => this.capabilities(),
      isEnabled: (capability) => this.enabled.has(capability),
      enable: (capability) => {
        this.enabled.add(capability);
      },
      untagged: (...parts) => this.writeParts(parts),
      untaggedText: (text) => {
        if (!this.closed) this.transport.write(Buffer.from(text, 'utf8'));
      },
      drained: () => this.transport.drained(),
      continuation: (text) => this.continuation(text),
      idle: () => this.idle(),
      startCompression: () => this.transport.startCompression(),
      startTls: () => this.transport.startTls(),
      login: (account) => this.login(account),
      logout: () => {
        this.state = { kind: 'logout' };
      },
    };
    const state = this.state;
    if (state.kind !== 'authenticated' && state.kind !== 'selected') return base;
    const authed: AuthenticatedContext = {
      ...base,
      account: state.account,
      get selected() {
        return session.state.kind === 'selected' ? session.state.mailbox : null;
      },
      select: (mailbox) => {
        this.state = { kind: 'selected', account: state.account, mailbox };
      },
      unselect: () => {
        this.state = { kind: 'authenticated', account: state.account };
      },
    };
    if (state.kind !== 'selected' || !def.states.includes('selected')) return authed;
    return { ...authed, mailbox: state.mailbox, selected: state.mailbox } as SelectedContext;
  }

  private login(account: Account): void {
    this.state = { kind: 'authenticated', account };
    this.transport.loggedIn?.();
    this.unsubscribe = this.services.store.changes.subscribe((change) => this.onChange(account, change));
  }

  /** Changes published after a commit: to the selected mailbox, or to the account itself. */
  private onChange(account: Account, change: Change): void {
    if (change.accountId !== account.id || this.closed) return;
    if ((change.type === 'grant.updated' && change.passwordChanged) || change.type === 'grant.deleted') {
      // PRODUCT.md: a reset ends the account's open sessions.
      this.write(change.type === 'grant.deleted' ? '* BYE the account was deleted' : '* BYE the app password was changed; log in again');
      this.end();
      return;
    }
    if (this.state.kind !== 'selected' || !('folderId' in change) || change.folderId !== this.state.mailbox.folderId) return;
    const mailbox = this.state.mailbox;
    if (change.type === 'message.created') mailbox.noteCreated(change.uid);
    else if (change.type === 'message.deleted') mailbox.noteDeleted(change.uid);
    else if (change.type === 'message.updated') mailbox.noteFlags(change.uid, change.flags, change.modseq);
    // RFC 2177: an idling client hears of it at once. Changes from one commit arrive together,
    // so the report waits for the end of the current turn of the event loop.
    if (this.idling && !this.idleFlushScheduled) {
      this.idleFlushScheduled = true;
      queueMicrotask(() => {
        this.idleFlushScheduled = false;
        if (this.idling) this.flushUpdates(null);
      });
    }
  }

  /**
   * RFC 2177 IDLE: report what is pending, send "+ idling", then report every change as it
   * happens until the client's next line (DONE), which is returned.
   */
  private idle(): Promise<Buffer> {
    this.flushUpdates(null);
    this.idling = true;
    return this.continuation('idling').finally(() => {
      this.idling = false;
    });
  }

  private continuation(text: string): Promise<Buffer> {
    this.write(`+ ${text}`);
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  // ---- output ----

  private writeParts(parts: (string | Buffer)[]): void {
    const chunks: Buffer[] = [Buffer.from('* ')];
    parts.forEach((part, i) => {
      if (i > 0) chunks.push(Buffer.from(' '));
      chunks.push(typeof part === 'string' ? Buffer.from(part, 'utf8') : part);
    });
    chunks.push(CRLF);
    if (!this.closed) this.transport.write(Buffer.concat(chunks));
  }

  private write(line: string): void {
    if (!this.closed) this.transport.write(Buffer.from(`${line}\r\n`, 'utf8'));
  }

  private end(): void {
    if (this.closed) return;
    this.close();
    this.transport.close();
  }

  private stateName(): SessionState {
    return this.state.kind === 'logout' ? 'not_authenticated' : this.state.kind;
  }

  /** Why the command does not fit the current state, in the client's terms. */
  private stateDescription(def: CommandDef): string {
    if (this.state.kind === 'not_authenticated') return 'before login';
    if (def.states.length === 1 && def.states[0] === 'not_authenticated') return 'after login';
    // RFC 5161 §3.1: ENABLE, for one, is valid only before a mailbox is selected.
    if (this.state.kind === 'selected' && !def.states.includes('selected')) return 'with a mailbox selected';
    return 'without a selected mailbox';
  }
}
