// libqp ships no type declarations; this covers the part Wicket uses.
declare module 'libqp' {
  /** Decodes quoted-printable (RFC 2045 §6.7) text into bytes. */
  export function decode(input: string): Buffer;
}
