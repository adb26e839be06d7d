// The CAPABILITY list (RFC 3501 §7.2.1), by session state. Only what is implemented in full is
// advertised.

export interface CapabilityState {
  authenticated: boolean;
  secure: boolean;
  /** LOGIN/AUTHENTICATE allowed now (TLS, or a trusted local client). */
  loginAllowed: boolean;
}

export function capabilities(state: CapabilityState): string[] {
  // IMAP4rev1 (RFC 3501); LITERAL+ (RFC 7888) and SASL-IR (RFC 4959) are handled by the receiver
  // and AUTHENTICATE.
  const caps = ['IMAP4rev1', 'LITERAL+', 'SASL-IR'];
  if (!state.authenticated) {
    if (!state.secure) caps.push('STARTTLS');
    // RFC 3501 §6.2.3 / RFC 8314: no cleartext passwords off this machine.
    if (state.loginAllowed) caps.push('AUTH=PLAIN');
    else caps.push('LOGINDISABLED');
  }
  return caps;
}
