// GET /metrics: Prometheus text format (src/metrics.ts). Open, like /healthz and /readyz: it
// carries counts only — no addresses, ids or secrets in names or labels — but it shares the HTTP
// port with the API, so firewall it or let only the proxy and the Prometheus server reach it.
import { type AnyRoute, route } from '../route.js';

export const metricsRoutes: AnyRoute[] = [
  route({
    method: 'GET',
    path: '/metrics',
    tag: 'Health',
    summary: 'Prometheus metrics (text exposition format)',
    description:
      'Connections per listener, authentication results, messages received / sent / queued / delivered / bounced, webhook deliveries, REST API latency, and the process metrics. No API key.',
    auth: false,
    produces: 'text/plain; version=0.0.4',
    handler: async ({ ctx, reply }) => {
      const text = await ctx.services.metrics.text();
      return reply.header('content-type', ctx.services.metrics.contentType).send(text);
    },
  }),
];
