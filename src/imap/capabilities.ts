// The CAPABILITY list (RFC 3501 §7.2.1), by session state. Only what is implemented in full is
// advertised.

export interface CapabilityState {
  authenticated: boolean;
  secure: boolean;
  /** LOGIN/AUTHENTICATE allowed now (TLS, or a trusted local client). */
  loginAllowed: boolean;
  /** RFC 7889 APPENDLIMIT: the largest message APPEND takes. */
  appendLimit: number;
  /** COMPRESS=DEFLATE is offered until it is active (RFC 4978 §3). */
  compressible: boolean;
}

/** What every session can use, before and after login. */
const ALWAYS = ['IMAP4rev1', 'LITERAL+', 'SASL-IR', 'ID', 'ENABLE', 'IDLE'];

/** After login: the extensions Thunderbird and Apple Mail sync with. */
const AUTHENTICATED = [
  'NAMESPACE', // RFC 2342
  'UNSELECT', // RFC 3691
  'UIDPLUS', // RFC 4315
  'MOVE', // RFC 6851
  'CHILDREN', // RFC 3348
  'LIST-EXTENDED', // RFC 5258
  'LIST-STATUS', // RFC 5819
  'SPECIAL-USE', // RFC 6154
  'CREATE-SPECIAL-USE', // RFC 6154 §3
  'ESEARCH', // RFC 4731
  'CONDSTORE', // RFC 7162
  'QRESYNC', // RFC 7162
  'UTF8=ACCEPT', // RFC 6855
  'STATUS=SIZE', // RFC 8438
  'QUOTA', // RFC 9208 (the RFC 2087 name, which RFC 9208 keeps)
  'QUOTA=RES-STORAGE', // RFC 9208 §5.1: the one resource, from the policy's limit_storage_total
];

export function capabilities(state: CapabilityState): string[] {
  const caps = [...ALWAYS];
  if (!state.authenticated) {
    if (!state.secure) caps.push('STARTTLS');
    // RFC 3501 §6.2.3 / RFC 8314: no cleartext passwords off this machine.
    if (state.loginAllowed) caps.push('AUTH=PLAIN');
    else caps.push('LOGINDISABLED');
    return caps;
  }
  caps.push(...AUTHENTICATED, `APPENDLIMIT=${state.appendLimit}`);
  if (state.compressible) caps.push('COMPRESS=DEFLATE');
  return caps;
}
