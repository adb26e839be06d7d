// Header anomaly detection: the signs of bulk or forged mail a received message shows in its
// own header section and text, scored in the manner of SpamAssassin (small positive numbers,
// 0.5–3.0, that add up; score.ts compares the sum with the threshold). Pure: no DNS, no clock
// except the injectable `now`. Each rule names the standard whose expectation it checks; a
// message that honours them all (as mail from every ordinary mail program does) scores 0.
import libmime from 'libmime';
import { isIP } from 'node:net';
import { normalizeDomain } from '../../accounts/hostname.js';
import { parseAddressList } from '../../mail/addresses.js';
import { fieldValue, headerFields, type HeaderField } from '../../mail/mime/header.js';
import { parseMimeTree } from '../../mail/mime/parse.js';
import { messageText } from '../../mail/text.js';
import type { SpamTest } from './score.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** How far ahead of the receiving clock a Date may be before it counts as forged (clock skew and time zones are smaller). */
export const FUTURE_DATE_TOLERANCE_MS = DAY_MS;

/** The rules and what each one adds to the score. */
export const HEURISTIC_SCORES = {
  /** RFC 5322 §3.6: the origination date (Date) is required in every message. */
  MISSING_DATE: 1.5,
  /** RFC 5322 §3.3: Date is not a date-time (syntax, ranges, or a day-of-week that is not the date's). */
  INVALID_DATE: 1.5,
  /** Date more than a day after it was received: set to sort above everything in an inbox. */
  DATE_IN_FUTURE: 2.0,
  /** RFC 5322 §3.6.4: every message SHOULD have a Message-ID; mail programs always add one. */
  MISSING_MESSAGE_ID: 1.5,
  /** RFC 5322 §3.6.4: a Message-ID is "<id-left@id-right>"; anything else is hand-made. */
  INVALID_MESSAGE_ID: 1.5,
  /** RFC 5322 §3.6: From is required and names the author's mailbox. */
  MISSING_FROM: 3.0,
  /** RFC 5322 §3.6.2: a From with more than one mailbox MUST be accompanied by Sender. */
  FROM_MULTIPLE_NO_SENDER: 2.0,
  /** The display name of From shows an address other than the one the message is from ("service@paypal.com" <x@evil.example>). */
  FROM_DISPLAY_NAME_FORGED: 2.5,
  /** Replies (RFC 5322 §3.6.2 Reply-To) go to a domain other than the author's: the address shown is not the one answered. */
  REPLY_TO_DOMAIN_DIFFERS: 1.5,
  /** Subject of ten letters or more, at least 80 % of them capitals: shouting, the style of bulk mail. */
  SUBJECT_ALL_CAPS: 1.5,
  /** RFC 5322 §3.6.5: Subject is optional, but mail written by a person nearly always has one. */
  MISSING_SUBJECT: 0.5,
  /** RFC 5322 §3.6.3: no To or Cc; mail programs write "undisclosed-recipients:;" when every recipient is Bcc. */
  MISSING_TO: 1.0,
  /** RFC 2045 §4: a MIME message (one with Content-Type) MUST carry MIME-Version. */
  MIME_MISSING_VERSION: 0.5,
  /** RFC 5322 §3.6, table of field counts: these fields may occur at most once. */
  DUPLICATE_HEADER: 1.0,
  /** A link to a bare IP address (http://192.0.2.7/…): a host with no name, typical of phishing and malware. */
  BARE_IP_LINK: 2.0,
} as const;

export type HeuristicRule = keyof typeof HEURISTIC_SCORES;

const test = (rule: HeuristicRule, detail: string): SpamTest => ({ rule, score: HEURISTIC_SCORES[rule], detail });

/** RFC 5322 §3.6: the fields a message may carry at most once. */
const SINGLE_FIELDS = ['date', 'from', 'sender', 'reply-to', 'to', 'cc', 'bcc', 'message-id', 'in-reply-to', 'references', 'subject'];

/**
 * The anomalies of a received message, each with its score and a short explanation; empty for a
 * well-formed message. `now` is the receiving time (for DATE_IN_FUTURE).
 */
export function headerAnomalies(raw: Buffer, now: Date = new Date()): SpamTest[] {
  const fields = headerFields(raw, 0, raw.length);
  const values = (name: string): string[] => fields.filter((f: HeaderField) => f.name === name).map((f) => fieldValue(raw, f));
  const first = (name: string): string | null => values(name)[0] ?? null;
  return [
    ...dateAnomalies(first('date'), now),
    ...messageIdAnomalies(first('message-id')),
    ...fromAnomalies(first('from'), first('sender'), first('reply-to')),
    ...subjectAnomalies(first('subject')),
    ...recipientAnomalies(first('to'), first('cc')),
    ...mimeAnomalies(first('content-type'), first('mime-version')),
    ...duplicateAnomalies(fields),
    ...linkAnomalies(raw),
  ];
}

// --- Date (RFC 5322 §3.3, with the obsolete forms of §4.3 accepted) ---

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** RFC 5322 §4.3 obs-zone: the North American zones; military letters (any but J) SHOULD be read as -0000. */
const NAMED_ZONES: Record<string, number> = { ut: 0, gmt: 0, est: -5, edt: -4, cst: -6, cdt: -5, mst: -7, mdt: -6, pst: -8, pdt: -7 };

/** [ day-of-week "," ] day month year hour ":" minute [ ":" second ] zone, comments removed. */
const DATE_TIME = /^(?:([a-z]{3})\s*,\s*)?(\d{1,2})\s+([a-z]{3})\s+(\d{2,})\s+(\d{2})\s*:\s*(\d{2})(?:\s*:\s*(\d{2}))?\s+([+-]\d{4}|[a-z]{1,3})$/i;

/** Removes RFC 5322 §3.2.2 comments (nested parentheses, quoted pairs), leaving one space. */
function withoutComments(value: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (depth > 0 && c === '\\') i++;
    else if (c === '(') depth++;
    else if (c === ')' && depth > 0) {
      depth--;
      if (depth === 0) out += ' ';
    } else if (depth === 0) out += c;
  }
  return out.replace(/\s+/g, ' ').trim();
}

export type DateCheck = { ok: true; time: number } | { ok: false; reason: string };

/** Parses an RFC 5322 §3.3 date-time into milliseconds since the epoch, or says what is wrong. */
export function parseDateTime(value: string): DateCheck {
  const m = DATE_TIME.exec(withoutComments(value));
  if (!m) return { ok: false, reason: 'not of the form "Mon, 2 Dec 2026 10:00:00 +0000"' };
  const [, dayName, dayText, monthName, yearText, hourText, minuteText, secondText, zoneText] = m;
  const month = MONTH_NAMES.indexOf(monthName!.toLowerCase());
  if (month === -1) return { ok: false, reason: `"${monthName}" is not a month` };
  // §4.3 obs-year: two digits are 19xx from 50 and 20xx below; three digits add 1900.
  let year = Number(yearText);
  if (yearText!.length === 2) year += year < 50 ? 2000 : 1900;
  else if (yearText!.length === 3) year += 1900;
  if (year < 1900) return { ok: false, reason: `the year ${yearText} is before 1900` };
  const day = Number(dayText);
  const daysInMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return { ok: false, reason: `${monthName} ${year} has no day ${day}` };
  const hour = Number(hourText);
  const minute = Number(minuteText);
  const second = secondText === undefined ? 0 : Number(secondText);
  // §3.3: second may be 60 for a leap second.
  if (hour > 23 || minute > 59 || second > 60) {
    return { ok: false, reason: `${hourText}:${minuteText}${secondText ? `:${secondText}` : ''} is not a time of day` };
  }
  let offsetMinutes: number;
  const zone = zoneText!.toLowerCase();
  if (/^[+-]\d{4}$/.test(zone)) {
    const hh = Number(zone.slice(1, 3));
    const mm = Number(zone.slice(3, 5));
    if (mm > 59) return { ok: false, reason: `the zone ${zoneText} has more than 59 minutes` };
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (hh * 60 + mm);
  } else if (zone in NAMED_ZONES) {
    offsetMinutes = NAMED_ZONES[zone]! * 60;
  } else if (/^[a-ik-z]$/.test(zone)) {
    offsetMinutes = 0;
  } else {
    return { ok: false, reason: `"${zoneText}" is not a time zone` };
  }
  const time = Date.UTC(year, month, day, hour, minute, Math.min(second, 59)) - offsetMinutes * 60_000;
  if (dayName !== undefined) {
    const named = DAY_NAMES.indexOf(dayName.toLowerCase());
    if (named === -1) return { ok: false, reason: `"${dayName}" is not a day of the week` };
    // §3.3: "the day-of-week (if included) MUST be the day implied by the date" (the date as written, in its own zone).
    const actual = new Date(Date.UTC(year, month, day)).getUTCDay();
    if (named !== actual) return { ok: false, reason: `${day} ${monthName} ${year} is a ${DAY_NAMES[actual]}, not a ${dayName}` };
  }
  return { ok: true, time };
}

function dateAnomalies(date: string | null, now: Date): SpamTest[] {
  if (date === null) return [test('MISSING_DATE', 'no Date field (required by RFC 5322 §3.6)')];
  const parsed = parseDateTime(date);
  if (!parsed.ok) return [test('INVALID_DATE', `Date "${clip(date)}" is not an RFC 5322 date-time: ${parsed.reason}`)];
  const ahead = parsed.time - now.getTime();
  if (ahead > FUTURE_DATE_TOLERANCE_MS) {
    return [test('DATE_IN_FUTURE', `Date "${clip(date)}" is ${Math.round(ahead / DAY_MS)} day(s) in the future`)];
  }
  return [];
}

// --- Message-ID (RFC 5322 §3.6.4) ---

/** RFC 5322 §3.2.3 dot-atom-text: atext runs joined by single dots. */
const DOT_ATOM_TEXT = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+(?:\.[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+)*$/;
/** RFC 5322 §3.6.4 no-fold-literal: "[" *dtext "]", dtext being printable ASCII but [ ] \. */
const NO_FOLD_LITERAL = /^\[[\x21-\x5a\x5e-\x7e]*\]$/;

/** Whether a Message-ID value is one msg-id: [CFWS] "<" id-left "@" id-right ">" [CFWS]. */
export function isValidMessageId(value: string): boolean {
  const id = withoutComments(value);
  if (!id.startsWith('<') || !id.endsWith('>')) return false;
  const inner = id.slice(1, -1);
  const at = inner.lastIndexOf('@');
  if (at <= 0) return false;
  const left = inner.slice(0, at);
  const right = inner.slice(at + 1);
  return DOT_ATOM_TEXT.test(left) && (DOT_ATOM_TEXT.test(right) || NO_FOLD_LITERAL.test(right));
}

function messageIdAnomalies(messageId: string | null): SpamTest[] {
  if (messageId === null || messageId.trim() === '') return [test('MISSING_MESSAGE_ID', 'no Message-ID field (RFC 5322 §3.6.4)')];
  if (!isValidMessageId(messageId)) {
    return [test('INVALID_MESSAGE_ID', `Message-ID "${clip(messageId)}" is not of the form <id-left@id-right> (RFC 5322 §3.6.4)`)];
  }
  return [];
}

// --- From, Sender, Reply-To (RFC 5322 §3.6.2) ---

/** The domain of an address, normalized (lower case, A-labels) when it is a valid mail domain. */
function domainOf(address: string): string {
  const domain = address.slice(address.lastIndexOf('@') + 1);
  const normalized = normalizeDomain(domain);
  return normalized.ok ? normalized.domain : domain.trim().toLowerCase();
}

/**
 * Whether two domains belong together: the same, or one a subdomain of the other
 * (news.example.com and example.com). Siblings (a.example.com, b.example.com) are not matched:
 * without the public suffix list they cannot be told from a.co.uk and b.co.uk.
 */
function relatedDomains(a: string, b: string): boolean {
  return a === b || a.endsWith(`.${b}`) || b.endsWith(`.${a}`);
}

/**
 * Things in a display name that look like an address (addr-spec with a dotted domain). A match
 * starts only where a run of local-part characters starts (the lookbehind): without it, a
 * display name of 200,000 letters and no '@' — anyone can send one to the MX — was read to its
 * end from each of its letters, 22 s of the server's one thread per message.
 */
const ADDRESS_IN_TEXT = /(?<![A-Za-z0-9._%+'-])[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;

function fromAnomalies(from: string | null, sender: string | null, replyTo: string | null): SpamTest[] {
  if (from === null) return [test('MISSING_FROM', 'no From field (required by RFC 5322 §3.6)')];
  const authors = parseAddressList(from).filter((a) => a.address.includes('@'));
  if (authors.length === 0) return [test('MISSING_FROM', `From "${clip(from)}" names no mailbox`)];
  const found: SpamTest[] = [];
  if (authors.length > 1 && (sender === null || sender.trim() === '')) {
    found.push(test('FROM_MULTIPLE_NO_SENDER', `From names ${authors.length} mailboxes and there is no Sender (RFC 5322 §3.6.2)`));
  }
  for (const author of authors) {
    const shown = (author.name.match(ADDRESS_IN_TEXT) ?? []).find((a) => a.toLowerCase() !== author.address.toLowerCase());
    if (shown !== undefined) {
      found.push(test('FROM_DISPLAY_NAME_FORGED', `the From display name shows ${shown} but the message is from ${author.address}`));
      break;
    }
  }
  if (replyTo !== null) {
    const fromDomains = authors.map((a) => domainOf(a.address));
    const elsewhere = parseAddressList(replyTo)
      .filter((a) => a.address.includes('@'))
      .map((a) => domainOf(a.address))
      .find((domain) => !fromDomains.some((f) => relatedDomains(f, domain)));
    if (elsewhere !== undefined) {
      found.push(test('REPLY_TO_DOMAIN_DIFFERS', `Reply-To goes to ${elsewhere}, From is ${fromDomains.join(', ')}`));
    }
  }
  return found;
}

// --- Subject (RFC 5322 §3.6.5), recipients (§3.6.3), MIME-Version (RFC 2045 §4) ---

function decodedSubject(value: string): string {
  try {
    return libmime.decodeWords(value);
  } catch {
    return value;
  }
}

function subjectAnomalies(subject: string | null): SpamTest[] {
  if (subject === null || subject.trim() === '') return [test('MISSING_SUBJECT', 'no Subject, or an empty one')];
  const text = decodedSubject(subject);
  const upper = (text.match(/\p{Lu}/gu) ?? []).length;
  const lower = (text.match(/\p{Ll}/gu) ?? []).length;
  const letters = upper + lower;
  if (letters >= 10 && upper / letters >= 0.8) {
    return [test('SUBJECT_ALL_CAPS', `${Math.round((upper / letters) * 100)} % of the Subject's ${letters} letters are capitals`)];
  }
  return [];
}

function recipientAnomalies(to: string | null, cc: string | null): SpamTest[] {
  if (to === null && cc === null) return [test('MISSING_TO', 'no To or Cc field')];
  return [];
}

function mimeAnomalies(contentType: string | null, mimeVersion: string | null): SpamTest[] {
  if (contentType !== null && mimeVersion === null) {
    return [test('MIME_MISSING_VERSION', 'Content-Type without MIME-Version (RFC 2045 §4)')];
  }
  return [];
}

function duplicateAnomalies(fields: HeaderField[]): SpamTest[] {
  const repeated = SINGLE_FIELDS.filter((name) => fields.filter((f) => f.name === name).length > 1);
  if (repeated.length === 0) return [];
  return [test('DUPLICATE_HEADER', `more than one ${repeated.join(', ')} field (RFC 5322 §3.6 allows one)`)];
}

// --- Links to bare IP addresses ---

/**
 * http(s) URLs whose host is an address literal (RFC 3986 §3.2.2: IPv4 dotted, or IPv6 in
 * brackets), with or without userinfo before it (http://www.paypal.com@192.0.2.7/ shows a name
 * but goes to the address).
 */
const URL_HOST = /\bhttps?:\/\/(?:[^\s/?#@"'<>]*@)?(\[[0-9a-f:.]+\]|\d{1,3}(?:\.\d{1,3}){3})(?=[\s/?#:"'<>)\]]|$)/gi;

/** The IP addresses that http(s) links in a text point to, in order, without repeats. */
export function bareIpLinks(text: string): string[] {
  const hosts = new Set<string>();
  for (const m of text.matchAll(URL_HOST)) {
    const host = m[1]!.replace(/^\[|\]$/g, '');
    if (isIP(host) !== 0) hosts.add(host);
  }
  return [...hosts];
}

function linkAnomalies(raw: Buffer): SpamTest[] {
  const hosts = bareIpLinks(messageText(raw, parseMimeTree(raw)));
  if (hosts.length === 0) return [];
  return [test('BARE_IP_LINK', `links to the bare IP address${hosts.length > 1 ? 'es' : ''} ${hosts.slice(0, 3).join(', ')}`)];
}

/** A value short enough to quote in a detail. */
function clip(value: string): string {
  return value.length > 80 ? `${value.slice(0, 77)}...` : value;
}
