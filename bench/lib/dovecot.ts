// Dovecot as a benchmark target (`--vs dovecot`): the bench installs nothing — it needs
// `apt-get install dovecot-imapd` — and touches nothing system-wide. It writes its own
// dovecot.conf, passwd file, certificate, Maildir, runtime and state directories into the
// temporary directory it is given, listens on 127.0.0.1 only, and runs `dovecot -F` as a child
// process. The accounts are the same as Wicket's: `user<i>@bench.example.com` with a BLF-CRYPT
// (bcrypt) hash of BENCH_PASSWORD at the run's cost.
//
// Settings that differ from Dovecot's defaults, and why:
// - mail_uid/mail_gid: Dovecot never runs an imap process as root (even with first_valid_uid
//   = 0 it fails the session with "userdb returned 0 as uid"). Run as root (as on the CI
//   machine), the Maildir is owned by the system user `mail` and login and auth keep their
//   users (dovenull, dovecot); run as anyone else, every process runs as that user.
// - auth_cache_size/ttl are set (Dovecot's counterpart of Wicket's cache of recent logins), but
//   they do not make Dovecot's warm logins cheap here, for two reasons in Dovecot 2.3's code:
//   the passwd-file passdb declares no cache key, so its lookups are never cached (the file is
//   in memory already; `auth_debug = yes` shows no "cache hit/miss" lines); and a cached entry
//   holds the hash, not the password, so a cache hit still runs bcrypt. Every Dovecot login pays
//   bcrypt, in the single auth process (passwd-file verifies in-process, not on auth-workers).
// - imap-login in "high-performance" mode (service_count = 0, one process per core, each taking
//   up to 10,000 clients) and `service imap` process_limit 20,000 (one process per session),
//   with the default client limit and anvil's and auth's client limits raised to match:
//   10,000 concurrent IDLE sessions fit. Client limits stay within the usual hard descriptor
//   limit (20,000 here); the master raises the soft limit itself. mail_max_userip_connections
//   is lifted (every client comes from 127.0.0.1).
// - info_log_path = /dev/null: Wicket runs at log level warn; Dovecot's per-login info lines
//   would otherwise go to a file (BENCH_DOVECOT_LOG=1 keeps them, in <dir>/dovecot-info.log).
// - mailbox_idle_check_interval = 1 s: with inotify Dovecot sees new mail at once, but the
//   kernel allows a user only fs.inotify.max_user_instances (often 128) inotify instances, and
//   IDLE sessions beyond that fall back to polling at this interval (30 s by default).
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { cpus, userInfo } from 'node:os';
import { delimiter, join } from 'node:path';
import bcrypt from 'bcrypt';
import selfsigned from 'selfsigned';
import { freePort, processTree, treeCpuMs, waitForPort } from './proc.js';
import type { Account, Target } from './types.js';
import { BENCH_PASSWORD, type TargetOptions } from './wicket.js';

const INSTALL_HINT = 'Dovecot is not installed: `apt-get install dovecot-imapd` (the bench installs nothing itself)';

/** The dovecot binary: on PATH, or /usr/sbin (where Debian puts it, often off a user's PATH). */
export function findDovecot(): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/sbin', '/usr/local/sbin'];
  for (const dir of dirs) {
    const file = join(dir, 'dovecot');
    if (existsSync(file)) return file;
  }
  throw new Error(INSTALL_HINT);
}

/** A uid/gid of a system user from /etc/passwd, or null. */
function systemUser(name: string): { uid: number; gid: number } | null {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const f = line.split(':');
      if (f[0] === name) return { uid: Number(f[2]), gid: Number(f[3]) };
    }
  } catch {
    // no /etc/passwd
  }
  return null;
}

async function selfSignedCert(): Promise<{ cert: string; key: string }> {
  // The same kind of certificate as Wicket's own (RSA 2048, SHA-256), so TLS handshakes cost alike.
  const notBeforeDate = new Date(Date.now() - 86_400_000);
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'bench.localhost' }], {
    keyType: 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + 30 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'subjectAltName', altNames: [{ type: 2 as const, value: 'localhost' }, { type: 7 as const, ip: '127.0.0.1' }] },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

export async function startDovecot(opts: TargetOptions): Promise<Target> {
  const binary = findDovecot();
  const me = userInfo();
  const dir = opts.dir;
  const paths = {
    conf: join(dir, 'dovecot.conf'),
    passwd: join(dir, 'passwd'),
    cert: join(dir, 'dovecot.crt'),
    key: join(dir, 'dovecot.key'),
    base: join(dir, 'run'),
    state: join(dir, 'state'),
    mail: join(dir, 'mail'),
    home: join(dir, 'home'),
    log: join(dir, 'dovecot.log'),
    infoLog: process.env.BENCH_DOVECOT_LOG === '1' ? join(dir, 'dovecot-info.log') : '/dev/null',
  };
  for (const d of [paths.base, paths.state, paths.mail, paths.home]) mkdirSync(d, { recursive: true });
  // The auth process runs as Dovecot's internal user and must reach the passwd file: the
  // directory (mkdtemp makes it 0700) becomes traversable, the file readable by that group only.
  const internal = systemUser('dovecot');
  chmodSync(dir, 0o711);

  const ports = { imap: await freePort(), imaps: await freePort() };
  const { cert, key } = await selfSignedCert();
  writeFileSync(paths.cert, cert);
  writeFileSync(paths.key, key, { mode: 0o600 });

  // One hash for every account, as Wicket does: bcrypt's $2b$ is accepted as BLF-CRYPT by
  // Dovecot 2.3 (checked with `doveadm pw -t`).
  const hash = await bcrypt.hash(BENCH_PASSWORD, opts.bcryptCost);
  const accounts: Account[] = [];
  const lines: string[] = [];
  for (let i = 0; i < opts.accounts; i++) {
    const email = `user${i}@bench.example.com`;
    accounts.push({ email, password: BENCH_PASSWORD });
    lines.push(`${email}:{BLF-CRYPT}${hash}::::::`);
  }
  writeFileSync(paths.passwd, `${lines.join('\n')}\n`, { mode: 0o640 });
  if (internal && me.uid === 0) chownSync(paths.passwd, 0, internal.gid);
  else chmodSync(paths.passwd, 0o644);

  // Who owns the mail. Dovecot never runs imap processes as root ("userdb returned 0 as uid"),
  // so as root the Maildir belongs to the system user `mail` (uid 8 on Debian); anyone else
  // runs everything — master, login, auth and imap — as themselves.
  const mailOwner = me.uid === 0 ? (systemUser('mail') ?? { uid: 8, gid: 8 }) : { uid: me.uid, gid: me.gid };
  for (const d of [paths.mail, paths.home]) if (me.uid === 0) chownSync(d, mailOwner.uid, mailOwner.gid);
  const unprivileged =
    me.uid === 0
      ? ''
      : `default_internal_user = ${me.username}\ndefault_login_user = ${me.username}\ndefault_internal_group = ${me.gid}\n`;
  const cores = cpus().length;
  const conf = `# Written by bench/lib/dovecot.ts for one benchmark run; removed with its directory.
protocols = imap
listen = 127.0.0.1
base_dir = ${paths.base}
state_dir = ${paths.state}
log_path = ${paths.log}
info_log_path = ${paths.infoLog}
debug_log_path = ${paths.infoLog}
instance_name = wicket-bench-dovecot
${unprivileged}
ssl = yes
ssl_cert = <${paths.cert}
ssl_key = <${paths.key}
disable_plaintext_auth = no
auth_mechanisms = plain login

passdb {
  driver = passwd-file
  args = scheme=BLF-CRYPT ${paths.passwd}
}
userdb {
  driver = static
  args = uid=${mailOwner.uid} gid=${mailOwner.gid} home=${paths.home}/%u
}
auth_cache_size = 10M
auth_cache_ttl = 1 hours
auth_cache_negative_ttl = 0
auth_cache_verify_password_with_worker = yes

mail_location = maildir:${paths.mail}/%u
mail_uid = ${mailOwner.uid}
mail_gid = ${mailOwner.gid}
first_valid_uid = ${mailOwner.uid}
first_valid_gid = ${mailOwner.gid}
mail_plugins =
mail_max_userip_connections = 100000
imap_idle_notify_interval = 2 mins
mailbox_idle_check_interval = 1 secs

default_process_limit = 100
default_client_limit = 15000
default_vsz_limit = 1G

service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${ports.imap}
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${ports.imaps}
    ssl = yes
  }
  service_count = 0
  process_min_avail = ${cores}
  process_limit = ${cores * 2}
  client_limit = 10000
  vsz_limit = 1G
}
service imap {
  process_limit = 20000
  client_limit = 1
}
service imap-urlauth-login {
  process_limit = 1
}
service anvil {
  client_limit = 15000
}
service auth {
  client_limit = 15000
}
service auth-worker {
  process_limit = ${Math.max(2, cores)}
}
`;
  // BENCH_DOVECOT_EXTRA: settings appended as they are (e.g. "auth_debug = yes"), for diagnosis.
  writeFileSync(paths.conf, `${conf}${process.env.BENCH_DOVECOT_EXTRA ? `${process.env.BENCH_DOVECOT_EXTRA.replace(/\\n/g, '\n')}\n` : ''}`);

  // Dovecot raises its services' descriptor limits itself, up to the hard limit it inherits.
  const child: ChildProcess = spawn(binary, ['-F', '-c', paths.conf], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin' },
  });
  // A Dovecot left running would outlive the bench: when this process exits, however, its whole
  // process tree (master, auth, login and imap processes) is killed, not only the master.
  const killOnExit = () => {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
    for (const pid of processTree(child.pid).reverse()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  process.once('exit', killOnExit);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const tail = () => {
    let log = '';
    try {
      log = readFileSync(paths.log, 'utf8').slice(-2000);
    } catch {
      // no log yet
    }
    return `${stderr}${log}`.trim();
  };
  try {
    await Promise.race([
      Promise.all([waitForPort(ports.imap), waitForPort(ports.imaps)]),
      exited.then((code) => {
        throw new Error(`dovecot exited (${code}) before listening: ${tail()}`);
      }),
    ]);
  } catch (err) {
    killOnExit();
    await exited;
    process.removeListener('exit', killOnExit);
    throw err;
  }

  return {
    name: 'dovecot',
    host: '127.0.0.1',
    imapPort: ports.imap,
    imapsPort: ports.imaps,
    accounts,
    pids: () => (child.pid ? processTree(child.pid) : []),
    cpuMs: () => (child.pid ? treeCpuMs(child.pid) : 0),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        // SIGTERM to the master: it stops its services and their processes before it exits.
        const tree = child.pid ? processTree(child.pid) : [];
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
        // Any child the master did not reap in time (an imap process stuck on a client).
        for (const pid of tree.slice(1)) {
          try {
            if (readlinkSync(`/proc/${pid}/exe`).includes('dovecot')) process.kill(pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
      }
      process.removeListener('exit', killOnExit);
    },
  };
}
