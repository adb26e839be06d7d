// Case folding for SEARCH string matching.
//
// RFC 3501 §6.4.4 / RFC 9051 §6.4.4: "In all search keys that use strings, a message matches the
// key if the string is a substring of the associated text. The matching is case-insensitive."
// The RFCs leave the Unicode details to the server (RFC 5051 i;unicode-casemap is the named
// comparator for I18NLEVEL, which we do not advertise). JavaScript has no built-in case folding,
// so we approximate Unicode full case folding (CaseFolding.txt, status C+F) like this:
//
//   1. toLowerCase(), toUpperCase(), toLowerCase(). Upper-casing applies the unconditional
//      SpecialCasing expansions, which is what full folding needs: "ß" → "SS" → "ss",
//      "ﬁ" → "FI" → "fi", "ſ" → "S" → "s", "ᾳ" → "ΑΙ" → "αι"; the first lower-casing brings
//      capitals whose upper case is themselves to a form that expands ("ẞ" → "ß" → "SS").
//      All steps are locale-independent (the root locale, the same as toLocale*Case('und')),
//      so results do not depend on the server's locale.
//   2. Final sigma: toLowerCase() turns a word-final "Σ" into "ς"; folding maps "ς" to "σ", so we
//      do too, otherwise "ΟΔΟΣ" would not contain "οδοσ".
//   3. Turkic dotted/dotless i, made deliberately lenient: "İ" lower-cases to "i" + U+0307
//      (combining dot above), which we reduce to "i"; "ı" already becomes "i" in step 1 (via "I").
//      So İ, I, ı and i all match one another. A Turkish user searching "istanbul" finds
//      "İSTANBUL", and a non-Turkish one searching "ISTANBUL" finds "ıstanbul"; over-matching a
//      search by one letter is better than missing mail.
//   4. NFC, before and after, so that "é" typed precomposed matches "é" stored decomposed, and
//      the expansions of step 1 are recomposed.
const COMBINING_DOT_AFTER_I = /i\u0307/g;
const FINAL_SIGMA = /ς/g;

export function foldCase(text: string): string {
  // Plain ASCII is by far the common case and needs none of the Unicode steps.
  if (/^[\x00-\x7f]*$/.test(text)) return text.toLowerCase();
  return text
    .normalize('NFC')
    .toLowerCase()
    .toUpperCase()
    .toLowerCase()
    .replace(COMBINING_DOT_AFTER_I, 'i')
    .replace(FINAL_SIGMA, 'σ')
    .normalize('NFC');
}
