// Escaping for XML 1.0 text and attribute values (XML 1.0 §2.4, §3.3.3): every value written
// into an XML document goes through here, whatever its source.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * Escapes markup characters. Characters XML 1.0 §2.2 does not allow at all (C0 controls other
 * than tab, CR and LF; U+FFFE, U+FFFF; lone surrogates) cannot be escaped, so they are dropped.
 */
export function escapeXml(value: string | number): string {
  return String(value)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
    .replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** `<name>value</name>`, the value escaped. */
export function element(name: string, value: string | number): string {
  return `<${name}>${escapeXml(value)}</${name}>`;
}
