// GET /v3/openapi.json — the OpenAPI 3.1 document, generated from the same zod schemas the
// routes validate with (zod's own JSON Schema output), so it cannot drift from what the server
// accepts — and GET /v3/docs, a self-contained reference page rendered from that document.
import { z } from 'zod';
import { VERSION } from '../version.js';
import { type AnyRoute, route } from './route.js';

type Json = Record<string, unknown>;

const jsonSchema = (schema: z.ZodType): Json =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;

const ERROR = {
  type: 'object',
  required: ['request_id', 'error'],
  properties: {
    request_id: { type: 'string' },
    error: { type: 'object', required: ['type', 'message'], properties: { type: { type: 'string' }, message: { type: 'string' } } },
  },
};

/** The parameters of one location (path or query) from a zod object's fields. */
function parameters(where: 'path' | 'query', schema: z.ZodType | undefined): Json[] {
  if (!schema) return [];
  const doc = jsonSchema(schema) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(doc.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property as Json & { description?: string };
    return {
      name,
      in: where,
      required: where === 'path' || (doc.required ?? []).includes(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

export function openApiDocument(routes: readonly AnyRoute[]): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:(\w+)/g, '{$1}');
    const data = r.response ? jsonSchema(r.response) : {};
    const operation: Json = {
      tags: [r.tag],
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      operationId: `${r.method.toLowerCase()}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
      parameters: [...parameters('path', r.params), ...parameters('query', r.query)],
      ...(r.auth === false ? { security: [] } : {}),
      responses: {
        '200': {
          description: 'success',
          content: r.produces
            ? { [r.produces]: { schema: { type: 'string' } } }
            : {
                'application/json': {
                  schema: { type: 'object', required: ['request_id'], properties: { request_id: { type: 'string' }, data: data } },
                },
              },
        },
        '400': { description: 'invalid request', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        ...(r.auth === false
          ? {}
          : { '401': { description: 'missing or wrong API key', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } }),
        '404': { description: 'not found', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    };
    if (r.body || r.multipart) {
      const content: Json = {};
      if (r.body) content['application/json'] = { schema: jsonSchema(r.body) };
      if (r.multipart) {
        content['multipart/form-data'] = {
          schema: { type: 'object', properties: { message: { type: 'string', description: 'the JSON request' } }, additionalProperties: { type: 'string', format: 'binary' } },
        };
      }
      operation.requestBody = { required: true, content };
    }
    (paths[path] ??= {})[r.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Wicket REST API',
      version: VERSION,
      description: 'The subset of the hosted Agent Accounts v3 API that Wicket serves, with the same paths and JSON shapes.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'an API key from `wicket apikey create`' } },
      schemas: { Error: ERROR },
    },
    paths,
  };
}

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A readable, dependency-free reference page (no scripts, no CDN: works offline). */
export function referencePage(doc: Json): string {
  const paths = doc.paths as Record<string, Record<string, Json>>;
  const byTag = new Map<string, { method: string; path: string; op: Json }[]>();
  for (const [path, ops] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const tag = ((op.tags as string[] | undefined) ?? ['other'])[0]!;
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag)!.push({ method, path, op });
    }
  }
  const sections = [...byTag.entries()].map(([tag, ops]) => {
    const items = ops.map(({ method, path, op }) => {
      const params = (op.parameters as Json[]).map(
        (p) =>
          `<tr><td><code>${escape(String(p.name))}</code></td><td>${escape(String(p.in))}</td><td>${p.required ? 'yes' : ''}</td><td><code>${escape(JSON.stringify(p.schema))}</code></td></tr>`,
      );
      const body = (op.requestBody as { content: Record<string, { schema: Json }> } | undefined)?.content;
      const bodyHtml = body
        ? Object.entries(body)
            .map(([type, c]) => `<p>Body (<code>${escape(type)}</code>):</p><pre>${escape(JSON.stringify(c.schema, null, 2))}</pre>`)
            .join('')
        : '';
      return `<section id="${escape(String(op.operationId))}"><h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escape(path)}</code></h3>
<p>${escape(String(op.summary ?? ''))}</p>${op.description ? `<p>${escape(String(op.description))}</p>` : ''}
${params.length ? `<table><tr><th>parameter</th><th>in</th><th>required</th><th>schema</th></tr>${params.join('')}</table>` : ''}${bodyHtml}</section>`;
    });
    return `<h2 id="${escape(tag)}">${escape(tag)}</h2>${items.join('\n')}`;
  });
  const info = doc.info as { title: string; version: string; description: string };
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(info.title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222}code,pre{font:13px ui-monospace,monospace}
pre{background:#f6f6f6;padding:.8em;overflow:auto}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2em .5em;text-align:left}
.m{display:inline-block;min-width:4em;font-size:12px;color:#fff;border-radius:3px;padding:0 .4em;text-align:center}.get{background:#2a7}.post{background:#27c}.put,.patch{background:#c80}.delete{background:#c33}</style></head>
<body><h1>${escape(info.title)} <small>${escape(info.version)}</small></h1><p>${escape(info.description)}</p>
<p>Authenticate with <code>Authorization: Bearer &lt;key&gt;</code> (<code>wicket apikey create</code>). Success: <code>{"request_id", "data"}</code>; errors: <code>{"request_id", "error": {"type", "message"}}</code>. Machine-readable: <a href="/v3/openapi.json">/v3/openapi.json</a>.</p>
<nav>${[...byTag.keys()].map((t) => `<a href="#${escape(t)}">${escape(t)}</a>`).join(' · ')}</nav>
${sections.join('\n')}</body></html>`;
}

/** The two documentation routes, describing `routes` (and themselves). */
export function openApiRoutes(routes: readonly AnyRoute[]): AnyRoute[] {
  const own: AnyRoute[] = [
    route({
      method: 'GET',
      path: '/v3/openapi.json',
      tag: 'Reference',
      summary: 'This API as an OpenAPI 3.1 document',
      auth: false,
      produces: 'application/json',
      handler: ({ reply }) => reply.type('application/json; charset=utf-8').send(document()),
    }),
    route({
      method: 'GET',
      path: '/v3/docs',
      tag: 'Reference',
      summary: 'This API as a readable reference page',
      auth: false,
      produces: 'text/html',
      handler: ({ reply }) => reply.type('text/html; charset=utf-8').send(referencePage(document())),
    }),
  ];
  let cached: Json | undefined;
  const document = () => (cached ??= openApiDocument([...routes, ...own]));
  return own;
}
