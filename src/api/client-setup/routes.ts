// Client setup over HTTP: the documents mail clients fetch to configure themselves. Thin: the
// settings come from ClientSetupService; the files here only render them.
//
//   GET|HEAD /.well-known/autoconfig/mail/config-v1.1.xml   Thunderbird autoconfig
//   GET|HEAD /mail/config-v1.1.xml?emailaddress=…           (the same, as autoconfig.<domain> serves it)
//   POST     /autodiscover/autodiscover.xml                 Microsoft Autodiscover (POX; any case)
//   GET|HEAD /apple/mobileconfig?email=…                    Apple configuration profile
//
// Every answer is the same whether or not an account has the address.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClientSetupService } from '../../accounts/client-setup.js';
import { WicketError } from '../../errors.js';
import { BodyTooLargeError, readBody, sendBody, sendError } from '../respond.js';
import { autoconfigXml } from './autoconfig.js';
import { autodiscoverErrorXml, autodiscoverXml, parseAutodiscoverRequest } from './autodiscover.js';
import { MOBILECONFIG_TYPE, mobileconfigFilename, mobileconfigXml } from './mobileconfig.js';

/** Largest Autodiscover request read; a real one is a few hundred bytes. */
export const AUTODISCOVER_MAX_BODY = 64 * 1024;

const XML_TYPE = 'application/xml; charset=utf-8';

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL, service: ClientSetupService) => void | Promise<void>;

interface Route {
  methods: readonly string[];
  handle: Handler;
}

/** A bad address is the caller's mistake (400); anything else is not ours to answer here. */
function invalidInput(err: unknown): string | undefined {
  return err instanceof WicketError && err.kind === 'invalid' ? err.message : undefined;
}

/** The domain a request was sent to: `autoconfig.example.com:8080` → `example.com`. */
function requestedDomain(req: IncomingMessage): string | undefined {
  const host = req.headers.host?.toLowerCase().replace(/:\d+$/, '');
  return host?.replace(/^autoconfig\./, '');
}

const autoconfig: Handler = (req, res, url, service) => {
  const email = url.searchParams.get('emailaddress');
  let addressDomain: string | undefined;
  if (email !== null && email !== '') {
    try {
      addressDomain = service.forAddress(email).domain;
    } catch (err) {
      const message = invalidInput(err);
      if (message === undefined) throw err;
      sendError(res, 400, 'invalid_request', `emailaddress: ${message}`);
      return;
    }
  }
  const domains = service.domains([addressDomain, requestedDomain(req)]);
  const provider = domains.length === 1 ? domains[0]! : service.hostname;
  const { imap, smtp } = service.servers();
  sendBody(
    res,
    200,
    XML_TYPE,
    autoconfigXml({ providerId: provider, domains, displayName: provider, displayShortName: provider.split('.')[0]!, imap, smtp }),
  );
};

const autodiscover: Handler = async (req, res, _url, service) => {
  const refuse = (status: number, code: 600 | 601, reason: string, headers = {}) =>
    sendBody(res, status, XML_TYPE, autodiscoverErrorXml(code, reason), headers);
  let body: Buffer;
  try {
    body = await readBody(req, AUTODISCOVER_MAX_BODY);
  } catch (err) {
    if (!(err instanceof BodyTooLargeError)) throw err;
    // Close afterwards: the rest of the body is not read.
    refuse(413, 600, err.message, { connection: 'close' });
    return;
  }
  const request = parseAutodiscoverRequest(body.toString('utf8'));
  if (!request.ok) {
    refuse(400, request.code, request.reason);
    return;
  }
  try {
    const settings = service.forAddress(request.emailAddress);
    sendBody(res, 200, XML_TYPE, autodiscoverXml({ loginName: settings.username, imap: settings.imap, smtp: settings.smtp }));
  } catch (err) {
    const message = invalidInput(err);
    if (message === undefined) throw err;
    refuse(400, 600, `EMailAddress: ${message}`);
  }
};

const mobileconfig: Handler = (_req, res, url, service) => {
  const email = url.searchParams.get('email');
  if (email === null || email.trim() === '') {
    sendError(res, 400, 'invalid_request', 'give the address: /apple/mobileconfig?email=name@example.com');
    return;
  }
  try {
    const settings = service.forAddress(email);
    sendBody(res, 200, MOBILECONFIG_TYPE, mobileconfigXml(settings, service.hostname), {
      'content-disposition': `attachment; filename="${mobileconfigFilename(settings.email)}"`,
    });
  } catch (err) {
    const message = invalidInput(err);
    if (message === undefined) throw err;
    sendError(res, 400, 'invalid_request', `email: ${message}`);
  }
};

const AUTODISCOVER_PATH = '/autodiscover/autodiscover.xml';

const ROUTES: Record<string, Route> = {
  '/.well-known/autoconfig/mail/config-v1.1.xml': { methods: ['GET', 'HEAD'], handle: autoconfig },
  '/mail/config-v1.1.xml': { methods: ['GET', 'HEAD'], handle: autoconfig },
  [AUTODISCOVER_PATH]: { methods: ['POST'], handle: autodiscover },
  '/apple/mobileconfig': { methods: ['GET', 'HEAD'], handle: mobileconfig },
};

/**
 * Answers the request when its path is a client-setup route (and returns true, or the
 * promise of the answer); returns false for any other path. The Autodiscover path is matched
 * in any case: Outlook asks for /Autodiscover/Autodiscover.xml, others in lower case.
 */
export function routeClientSetup(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  service: ClientSetupService,
): boolean | Promise<void> {
  const key = url.pathname.toLowerCase() === AUTODISCOVER_PATH ? AUTODISCOVER_PATH : url.pathname;
  const route = Object.hasOwn(ROUTES, key) ? ROUTES[key] : undefined;
  if (!route) return false;
  if (!route.methods.includes(req.method ?? '')) {
    sendError(res, 405, 'method_not_allowed', `${req.method} is not allowed on ${url.pathname}`, { allow: route.methods.join(', ') });
    return true;
  }
  const done = route.handle(req, res, url, service);
  return done instanceof Promise ? done : true;
}
