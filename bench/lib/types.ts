// The shapes every workload and server target share. A workload measures figures against one
// target at a time; the runner alternates targets (W, D, W, D …) and keeps the median per figure.

export type TargetName = 'wicket' | 'dovecot';

export interface Account {
  email: string;
  password: string;
}

/** A mail server under test, running as a child process on loopback. */
export interface Target {
  name: TargetName;
  /** Always 127.0.0.1: the bench refuses anything else. */
  host: '127.0.0.1';
  imapPort: number;
  imapsPort: number;
  /** Wicket only. */
  submissionPort?: number;
  mxPort?: number;
  httpPort?: number;
  /** Wicket only: the environment `wicket serve` runs with (WICKET_DATA_DIR …), for the CLI. */
  env?: Record<string, string>;
  /** The server's process ids (Dovecot forks one imap process per session). */
  pids(): number[];
  /** CPU milliseconds the server's processes have used so far (see treeCpuMs). */
  cpuMs(): number;
  /** Accounts made at start: `user0@bench.example.com` … with the bcrypt cost of the run. */
  accounts: Account[];
  stop(): Promise<void>;
}

export interface Figure {
  /** What was measured, e.g. "ops/s, 10 clients". */
  name: string;
  value: number;
  unit: string;
  /** Which direction is better, for the ratio column. */
  better: 'higher' | 'lower';
  /** The figure the issue asks for, if any. */
  goal?: { op: '>=' | '<='; value: number };
  /** Operations that failed while measuring; a figure with errors is reported as failed. */
  errors: number;
}

export interface RunContext {
  target: Target;
  quick: boolean;
  /** Progress lines (stderr), so the table on stdout stays clean. */
  log(line: string): void;
}

export interface Workload {
  name: string;
  description: string;
  /** The targets it can run against (Dovecot has no SMTP submission or REST API here). */
  targets: TargetName[];
  /** Accounts the targets must have, and how many messages to load into whose INBOX first. */
  /**
   * Accounts and seed mail. `bcryptCost` overrides the run's cost for this workload's accounts
   * on every target alike (a workload that does not measure logins need not wait for them).
   */
  setup(quick: boolean): { accounts: number; seed?: { account: number; messages: number }[]; bcryptCost?: number };
  run(ctx: RunContext): Promise<Figure[]>;
}
