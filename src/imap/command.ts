// What an IMAP command is (ARCHITECTURE.md, "one file per command"): its name, the states it
// may run in, a `parse` that turns raw tokens into typed arguments, and a `run` that receives
// a context narrowed to its state — a selected-state command cannot run without a mailbox.
import type { MailboxService } from '../accounts/mailboxes.js';
import type { Authenticator } from '../accounts/authenticate.js';
import type { Config } from '../config.js';
import type { DeliveryPipeline } from '../delivery/pipeline.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/store.js';
import type { Account } from '../store/types.js';
import { Bad } from './errors.js';
import type { Token } from './protocol/types.js';
import type { SelectedMailbox } from './selected.js';

export type SessionState = 'not_authenticated' | 'authenticated' | 'selected';

export interface ImapServices {
  store: Store;
  auth: Authenticator;
  mailboxes: MailboxService;
  pipeline: DeliveryPipeline;
  config: Config;
  log: Logger;
}

/** What every command can do, whatever the state. */
export interface BaseContext {
  readonly id: string;
  readonly tag: string;
  readonly secure: boolean;
  readonly remoteAddress: string;
  readonly services: ImapServices;
  /** RFC 6855 UTF8=ACCEPT enabled: mailbox names and strings in UTF-8. */
  readonly utf8: boolean;
  /** Whether LOGIN/AUTHENTICATE may be used now (TLS, or a trusted local client). */
  readonly loginAllowed: boolean;
  capabilities(): string[];
  /** RFC 5161: extensions the client turned on (CONDSTORE, QRESYNC, UTF8=ACCEPT). */
  isEnabled(capability: string): boolean;
  enable(capability: string): void;
  /** An untagged response: `* ` + the parts, joined by spaces (encode IMAP values with encodeValue). */
  untagged(...parts: (string | Buffer)[]): void;
  /** Untagged responses already formatted, each "* …\r\n" (bulk FETCH), written as they are. */
  untaggedText(text: string): void;
  /** Resolves once the client has read what was written so far (backpressure for big FETCHes). */
  drained(): Promise<void>;
  /** Sends `+ text` and waits for the client's next line (AUTHENTICATE). */
  continuation(text: string): Promise<Buffer>;
  /** IDLE (RFC 2177): reports changes as they happen until the client's next line, returned. */
  idle(): Promise<Buffer>;
  /** COMPRESS DEFLATE (RFC 4978): compression starts right after the tagged OK. */
  startCompression(): void;
  startTls(): Promise<void>;
  login(account: Account): void;
  logout(): void;
}

export interface AuthenticatedContext extends BaseContext {
  readonly account: Account;
  select(mailbox: SelectedMailbox): void;
  unselect(): void;
  /** The selected mailbox, if any (STATUS and APPEND on it behave a little differently). */
  readonly selected: SelectedMailbox | null;
}

export interface SelectedContext extends AuthenticatedContext {
  readonly mailbox: SelectedMailbox;
  readonly selected: SelectedMailbox;
}

/** The tagged OK: an optional response code (`[READ-WRITE]`) and text. */
export interface Done {
  code?: string;
  text?: string;
}

export interface ParseEnv {
  utf8: boolean;
}

export interface CommandDef {
  name: string;
  states: readonly SessionState[];
  /**
   * Whether untagged EXPUNGE may be sent while/after this command (RFC 3501 §7.4.1: not during
   * FETCH, STORE, SEARCH by sequence number — they would shift the numbers the client uses).
   */
  expungeSafe: boolean;
  /**
   * A read: all it may write is bookkeeping (a \Recent claimed, an implicit \Seen). When the
   * store cannot take that (a full disk), the read is answered all the same.
   */
  read: boolean;
  parse(args: Token[], env: ParseEnv): unknown;
  run(ctx: BaseContext | AuthenticatedContext | SelectedContext, args: unknown): Promise<Done | void>;
}

interface Definition<C, A> {
  name: string;
  parse: (args: Token[], env: ParseEnv) => A;
  run: (ctx: C, args: A) => Promise<Done | void>;
  expungeSafe?: boolean;
  read?: boolean;
}

const define = <C, A>(states: readonly SessionState[], d: Definition<C, A>): CommandDef => ({
  name: d.name,
  states,
  expungeSafe: d.expungeSafe ?? true,
  read: d.read ?? false,
  parse: d.parse,
  run: d.run as CommandDef['run'],
});

/** Any state (CAPABILITY, NOOP, LOGOUT). */
export const anyState = <A>(d: Definition<BaseContext, A>) => define(['not_authenticated', 'authenticated', 'selected'], d);
/** Before login (LOGIN, AUTHENTICATE, STARTTLS). */
export const notAuthenticated = <A>(d: Definition<BaseContext, A>) => define(['not_authenticated'], d);
/** After login, with or without a selected mailbox. */
export const authenticated = <A>(d: Definition<AuthenticatedContext, A>) => define(['authenticated', 'selected'], d);
/** After login, but not with a mailbox selected (ENABLE, RFC 5161 §3.1). */
export const authenticatedOnly = <A>(d: Definition<AuthenticatedContext, A>) => define(['authenticated'], d);
/** Only with a selected mailbox. */
export const selected = <A>(d: Definition<SelectedContext, A>) => define(['selected'], d);

/** For commands without arguments. */
export function noArguments(args: Token[]): void {
  if (args.length > 0) throw new Bad('this command takes no arguments');
}
