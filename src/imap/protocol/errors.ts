// The one error the shared grammar throws. A command's `parse` lets it propagate; the session
// answers `tag BAD <message>` (RFC 3501 §7.1.3: BAD is for protocol-level errors in a command).

export class ProtocolSyntaxError extends Error {
  override readonly name = 'ProtocolSyntaxError';
}
