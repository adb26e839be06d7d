// An mbsync (isync) configuration for one Wicket account synchronised with a local Maildir:
// every folder both ways, created and expunged on either side.
export interface MbsyncTarget {
  port: number;
  user: string;
  password: string;
  maildir: string;
  /** IMAPS with the gateway's certificate, or plaintext (loopback may log in without TLS). */
  tls: { certFile: string } | null;
  authMechs?: string;
}

export function mbsyncConfig(t: MbsyncTarget): string {
  return [
    'IMAPAccount wicket',
    'Host 127.0.0.1',
    `Port ${t.port}`,
    `User ${t.user}`,
    `Pass "${t.password}"`,
    ...(t.tls ? ['SSLType IMAPS', `CertificateFile ${t.tls.certFile}`] : ['SSLType None']),
    `AuthMechs ${t.authMechs ?? 'PLAIN'}`,
    '',
    'IMAPStore remote',
    'Account wicket',
    '',
    'MaildirStore local',
    `Path ${t.maildir}/`,
    `Inbox ${t.maildir}/INBOX`,
    'SubFolders Verbatim',
    '',
    'Channel sync',
    'Far :remote:',
    'Near :local:',
    'Patterns *',
    'Create Both',
    'Expunge Both',
    'SyncState *',
    'Sync All',
    '',
  ].join('\n');
}
