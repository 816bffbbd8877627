import type { Handler } from './httpServer.js';

export interface QueryParam {
  name: string;
  description: string;
  required?: boolean;
  type?: 'string' | 'integer' | 'boolean';
}

/** One API route, defined once: the server routes it and /openapi.json describes it. */
export interface RouteSpec {
  method: 'GET' | 'POST';
  path: string;
  summary: string;
  tag: string;
  query?: QueryParam[];
  /** Request body, if any, as an OpenAPI schema. */
  body?: Record<string, unknown>;
  /** Success status and a short description. */
  success: [status: number, description: string];
  /** Response media type when not JSON. */
  produces?: string;
  handler: Handler;
}

/** OpenAPI 3.0 document generated from the route table. */
export function openApiDocument(routes: RouteSpec[], info: { title: string; version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const openPath = route.path.replace(/:([a-zA-Z]+)/g, '{$1}');
    const pathParams = [...route.path.matchAll(/:([a-zA-Z]+)/g)].map((m) => ({
      name: m[1], in: 'path', required: true, schema: { type: 'string' },
    }));
    const queryParams = (route.query ?? []).map((q) => ({
      name: q.name, in: 'query', required: q.required ?? false, description: q.description, schema: { type: q.type ?? 'string' },
    }));
    const operation: Record<string, unknown> = {
      summary: route.summary,
      tags: [route.tag],
      operationId: `${route.method.toLowerCase()}${openPath.replace(/[{}]/g, '').replace(/(^|[/.-])(\w)/g, (_m, _s, c: string) => c.toUpperCase())}`,
      parameters: [...pathParams, ...queryParams],
      responses: {
        [String(route.success[0])]: {
          description: route.success[1],
          content: { [route.produces ?? 'application/json']: { schema: { type: route.produces ? 'string' : 'object' } } },
        },
        default: { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    };
    if (route.body) operation.requestBody = { required: true, content: { 'application/json': { schema: route.body } } };
    paths[openPath] = { ...paths[openPath], [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.0.3',
    info,
    paths,
    components: {
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: { code: { type: 'string', description: 'stable error code, e.g. TX_INVALID_SIGNATURE' }, message: { type: 'string' }, details: { type: 'object' } },
            },
          },
        },
      },
    },
  };
}
