// Microsoft Autodiscover, the plain-old-XML ("POX") form Outlook and other clients POST
// ([MS-OXDSCLI]; the Exchange "POX Autodiscover" reference; response schema 2006a):
//
//   <Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">
//     <Request><EMailAddress>…</EMailAddress>
//       <AcceptableResponseSchema>…/outlook/responseschema/2006a</AcceptableResponseSchema></Request>
//   </Autodiscover>
//
// The request is parsed with fast-xml-parser (well-formedness checked first; a DOCTYPE is
// refused outright, so no entity can expand), never with regular expressions.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ServerSetting } from '../../accounts/client-setup.js';
import { element } from '../xml.js';

export const RESPONSE_NS = 'http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006';
export const OUTLOOK_RESPONSE_SCHEMA = 'http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a';

/** [MS-OXDSCLI] ErrorCode: 600 the request is not well formed, 601 no settings of the requested type. */
export type AutodiscoverErrorCode = 600 | 601;

export type AutodiscoverRequest =
  | { ok: true; emailAddress: string }
  | { ok: false; code: AutodiscoverErrorCode; reason: string };

const parser = new XMLParser({
  ignoreAttributes: true,
  // Elements may come prefixed (<a:Request>); the names are what matter.
  removeNSPrefix: true,
  // Keep text as text: an address is never a number.
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
});

/** One child element's text, or undefined when it is absent, repeated or not plain text. */
function text(parent: Record<string, unknown>, name: string): string | undefined {
  const value = parent[name];
  return typeof value === 'string' ? value : undefined;
}

function child(parent: unknown, name: string): Record<string, unknown> | undefined {
  if (typeof parent !== 'object' || parent === null) return undefined;
  const value = (parent as Record<string, unknown>)[name];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function parseAutodiscoverRequest(body: string): AutodiscoverRequest {
  if (body.trim() === '') return { ok: false, code: 600, reason: 'the request body is empty' };
  // External and internal entities are never needed here; refusing the DTD closes XXE and
  // entity-expansion attacks before the parser sees the document.
  if (/<!DOCTYPE/i.test(body)) return { ok: false, code: 600, reason: 'a DOCTYPE is not allowed' };
  const valid = XMLValidator.validate(body);
  if (valid !== true) return { ok: false, code: 600, reason: `the request is not well-formed XML (line ${valid.err.line}: ${valid.err.msg})` };
  const document: unknown = parser.parse(body);
  const request = child(child(document, 'Autodiscover'), 'Request');
  if (!request) return { ok: false, code: 600, reason: 'expected <Autodiscover><Request>…</Request></Autodiscover>' };
  const schema = text(request, 'AcceptableResponseSchema');
  // Absent: answer in the one schema there is. Another one (the ActiveSync "mobilesync"
  // schema): we have nothing to say in it.
  // Microsoft's own request example writes the schema with https://; either names it.
  if (schema !== undefined && schema.replace(/^https:/i, 'http:') !== OUTLOOK_RESPONSE_SCHEMA) {
    return { ok: false, code: 601, reason: `response schema ${schema} is not supported; ask for ${OUTLOOK_RESPONSE_SCHEMA}` };
  }
  const emailAddress = text(request, 'EMailAddress');
  if (emailAddress === undefined || emailAddress === '') return { ok: false, code: 600, reason: 'the request needs one <EMailAddress>' };
  return { ok: true, emailAddress };
}

function protocol(type: 'IMAP' | 'SMTP', s: ServerSetting, loginName: string): string[] {
  return [
    '      <Protocol>',
    `        ${element('Type', type)}`,
    `        ${element('Server', s.host)}`,
    `        ${element('Port', s.port)}`,
    '        <DomainRequired>off</DomainRequired>',
    `        ${element('LoginName', loginName)}`,
    // SPA is Microsoft's NTLM login; ours is a normal password inside TLS.
    '        <SPA>off</SPA>',
    // SSL is "on" for the STARTTLS entry too: Encryption (TLS = STARTTLS) overrides it, and a
    // client that ignores Encryption then fails the handshake instead of logging in in clear.
    '        <SSL>on</SSL>',
    `        ${element('Encryption', s.security === 'ssl' ? 'SSL' : 'TLS')}`,
    '        <AuthRequired>on</AuthRequired>',
    '      </Protocol>',
  ];
}

/** The settings response: IMAP then SMTP, each implicit TLS first, the login name the address. */
export function autodiscoverXml(input: { loginName: string; imap: readonly ServerSetting[]; smtp: readonly ServerSetting[] }): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<Autodiscover xmlns="${RESPONSE_NS}">`,
    `  <Response xmlns="${OUTLOOK_RESPONSE_SCHEMA}">`,
    '    <Account>',
    '      <AccountType>email</AccountType>',
    '      <Action>settings</Action>',
    ...input.imap.flatMap((s) => protocol('IMAP', s, input.loginName)),
    ...input.smtp.flatMap((s) => protocol('SMTP', s, input.loginName)),
    '    </Account>',
    '  </Response>',
    '</Autodiscover>',
    '',
  ].join('\n');
}

/** [MS-OXDSCLI] §2.2.4.1.1.3 Error: the code, its message, and the reason in DebugData. */
export function autodiscoverErrorXml(code: AutodiscoverErrorCode, reason: string): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<Autodiscover xmlns="${RESPONSE_NS}">`,
    '  <Response>',
    '    <Error>',
    `      ${element('ErrorCode', code)}`,
    `      ${element('Message', code === 600 ? 'Invalid Request' : 'Requested schema version not supported')}`,
    `      ${element('DebugData', reason)}`,
    '    </Error>',
    '  </Response>',
    '</Autodiscover>',
    '',
  ].join('\n');
}
