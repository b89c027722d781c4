import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { errorBodySchema, type EndpointDef } from '@shopfleet/contracts';
import type { ZodObject } from 'zod';

interface Surface {
  root: string;
  endpoints: Record<string, EndpointDef>;
}

/** The OpenAPI 3.1 document, generated from the contract endpoint tables (never written by hand). */
export function buildOpenApiDocument(surfaces: Surface[], info: { version: string; serverUrl: string }) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  const errorResponse = (description: string) => ({
    description,
    content: { 'application/json': { schema: errorBodySchema } },
  });
  for (const { root, endpoints } of surfaces) {
    for (const [name, def] of Object.entries(endpoints)) {
      const access =
        def.access.kind === 'public'
          ? def.access.optional
            ? `public, or a signed-in ${def.access.optional}`
            : 'public'
          : def.access.kind === 'signedIn'
            ? `signed-in ${def.access.audience}`
            : `${def.access.audience} with ${def.access.permission}`;
      registry.registerPath({
        method: def.method,
        path: `${root}${def.path}`.replace(/:([A-Za-z]+)/g, '{$1}'),
        operationId: `${root.split('/')[1]}.${name}`,
        summary: def.summary,
        description: `Access: ${access}.`,
        tags: def.tags,
        security: def.access.kind !== 'public' ? [{ bearer: [] }] : def.access.optional ? [{}, { bearer: [] }] : [],
        request: {
          params: def.params as ZodObject | undefined,
          query: def.query as ZodObject | undefined,
          headers: def.headers,
          body: def.upload
            ? {
                content: {
                  'multipart/form-data': {
                    schema: {
                      type: 'object',
                      properties: { [def.upload.field]: { type: 'string', format: 'binary' } },
                      required: [def.upload.field],
                    },
                  },
                },
              }
            : def.body
              ? { content: { 'application/json': { schema: def.body } } }
              : undefined,
        },
        responses: {
          [def.status ?? 200]: { description: 'OK', content: { 'application/json': { schema: def.response } } },
          400: errorResponse('Invalid input'),
          ...(def.access.kind === 'public' && !def.access.optional
            ? {}
            : { 401: errorResponse('Not signed in, or the token is expired, invalid or revoked') }),
          ...(def.access.kind === 'permission' ? { 403: errorResponse('Missing permission') } : {}),
        },
      });
    }
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Shopfleet API',
      version: info.version,
      description: 'Platform, merchant and shop APIs of Shopfleet.',
    },
    servers: [{ url: info.serverUrl }],
  });
}
