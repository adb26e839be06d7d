// Domains: GET|POST /v3/domains, GET|DELETE /v3/domains/{id}, GET /v3/domains/{id}/records,
// POST /v3/domains/{id}/verify. Domains belong to the organization: every application sees
// them (PRODUCT.md, "application"). Thin: DomainService, as the CLI.
import { z } from 'zod';
import { domainView } from '../../accounts/views.js';
import { ValidationError } from '../../errors.js';
import { type AnyRoute, NO_DATA, paged, route } from '../route.js';
import { idParam, queryBoolean } from './schemas.js';

const DomainParams = z.strictObject({ domainId: idParam.describe('domain id, or the domain name') });

const NewDomain = z.strictObject({
  name: z.string().optional().describe('the domain, e.g. agents.example.com'),
  domain_address: z.string().optional().describe('the same, as the hosted API names it'),
});

const DnsRecord = z.object({
  key: z.string(),
  type: z.string(),
  host: z.string(),
  value: z.string(),
  priority: z.number().optional(),
  required: z.boolean(),
  purpose: z.string(),
  status: z.enum(['verified', 'unverified', 'pending']),
  reason: z.string().nullable(),
  checked_at: z.number().nullable(),
  zone: z.string(),
});

const Domain = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(['verified', 'unverified', 'pending']),
  dkim_selector: z.string(),
  account_count: z.number(),
  created_at: z.number(),
  updated_at: z.number(),
  records: z.array(DnsRecord),
});

export const domainRoutes: AnyRoute[] = [
  route({
    method: 'GET',
    path: '/v3/domains',
    tag: 'Domains',
    summary: 'List registered domains',
    response: z.array(Domain),
    handler: ({ ctx }) => paged(ctx.services.domains.list().map(domainView), null),
  }),
  route({
    method: 'POST',
    path: '/v3/domains',
    tag: 'Domains',
    summary: 'Register a domain (generates its DKIM key and ownership token)',
    body: NewDomain,
    response: Domain,
    handler: async ({ body, ctx }) => {
      const name = body.name ?? body.domain_address;
      if (name === undefined) throw new ValidationError('name', 'required', 'name: the domain to register is required');
      return domainView(await ctx.services.domains.add(name));
    },
  }),
  route({
    method: 'GET',
    path: '/v3/domains/:domainId',
    tag: 'Domains',
    summary: 'Get a domain with its records and their status',
    params: DomainParams,
    response: Domain,
    handler: ({ params, ctx }) => domainView(ctx.services.domains.get(params.domainId)),
  }),
  route({
    method: 'GET',
    path: '/v3/domains/:domainId/records',
    tag: 'Domains',
    summary: 'The DNS records to publish for a domain',
    params: DomainParams,
    response: z.array(DnsRecord),
    handler: ({ params, ctx }) => domainView(ctx.services.domains.get(params.domainId)).records,
  }),
  route({
    method: 'POST',
    path: '/v3/domains/:domainId/verify',
    tag: 'Domains',
    summary: 'Look the records up in DNS now and store the outcome',
    params: DomainParams,
    response: Domain,
    handler: async ({ params, ctx }) => domainView(await ctx.services.domains.verify(params.domainId)),
  }),
  route({
    method: 'DELETE',
    path: '/v3/domains/:domainId',
    tag: 'Domains',
    summary: 'Delete a domain; refused (409) while accounts use it unless force=true',
    params: DomainParams,
    query: z.strictObject({ force: queryBoolean.optional().describe('also delete its accounts and their mail') }),
    handler: ({ params, query, ctx }) => {
      ctx.services.domains.delete(params.domainId, { force: query.force === true });
      return NO_DATA;
    },
  }),
];
