import { z } from 'zod';
import { describePolicy } from './auth';
import { type EndpointDescription, rateLimitTier } from './endpoint';
import { recordedEndpoints } from './endpoint-registry';
import { PROBLEM_CONTENT_TYPE } from './problem';

type JsonSchema = Record<string, unknown>;
type Io = 'input' | 'output';

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  tags: { name: string }[];
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, unknown> };
}

const BEARER_SCHEME = { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An ES256 access token from /v1/auth/login, /register or /refresh' } };

const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };

const PROBLEM_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem details',
  properties: {
    type: { type: 'string', format: 'uri', description: 'Stable URI naming the kind of problem' },
    title: { type: 'string' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string' },
    instance: { type: 'string', description: 'The request path' },
    requestId: { type: 'string', description: 'Also in the X-Request-Id response header' },
    errors: {
      type: 'array',
      description: 'The failing fields, for validation problems',
      items: {
        type: 'object',
        properties: { field: { type: 'string', examples: ['body.email'] }, message: { type: 'string' } },
        required: ['field', 'message'],
      },
    },
  },
  required: ['type', 'title', 'status', 'detail', 'instance', 'requestId'],
};

/** Headers OpenAPI forbids describing as parameters; they have their own fields. */
const RESERVED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

/**
 * The OpenAPI 3.1 document of the declared endpoints. `serverUrl` is where routes are
 * mounted (origin + `/api`, the host's route prefix); paths are the function routes.
 */
export function buildOpenApiDocument(serverUrl: string, endpoints: readonly EndpointDescription[] = recordedEndpoints()): OpenApiDocument {
  const schemas = new SchemaCollector();
  const paths: OpenApiDocument['paths'] = {};
  const documented = endpoints.filter((endpoint) => endpoint.documented !== false);
  for (const endpoint of documented) {
    const path = `/${toOpenApiPath(endpoint.route)}`;
    paths[path] ??= {};
    paths[path][endpoint.method.toLowerCase()] = operation(endpoint, schemas);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'FoodXchange Expert Marketplace API',
      version: '1.0.0',
      description: `Errors are RFC 9457 problem details (${PROBLEM_CONTENT_TYPE}). Lists use cursor pagination.`,
    },
    servers: [{ url: serverUrl }],
    tags: [...new Set(documented.flatMap((endpoint) => endpoint.tags))].sort().map((name) => ({ name })),
    paths,
    components: { schemas: { Problem: PROBLEM_SCHEMA, ...schemas.components() }, securitySchemes: BEARER_SCHEME },
  };
}

const IDEMPOTENCY_KEY_PARAMETER = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'Makes a retry safe: the same key with the same request within 24 hours replays the first successful response (with `Idempotency-Replayed: true`) instead of running again.',
  schema: { type: 'string', minLength: 1, maxLength: 255 },
};

function operation(endpoint: EndpointDescription, schemas: SchemaCollector): Record<string, unknown> {
  const pathParams = routeParams(endpoint.route).map((name) => {
    const field = endpoint.params?.shape[name] as z.ZodType | undefined;
    return { name, in: 'path', required: true, schema: field ? schemas.convert(field, 'input') : { type: 'string' } };
  });
  const parameters = [
    ...pathParams,
    ...fieldParameters(endpoint.query, 'query', schemas),
    ...fieldParameters(endpoint.headers, 'header', schemas).filter((param) => !RESERVED_HEADERS.has(param.name)),
    ...(endpoint.idempotent ? [IDEMPOTENCY_KEY_PARAMETER] : []),
  ];
  return {
    operationId: endpoint.name,
    summary: endpoint.summary,
    ...(endpoint.description ? { description: endpoint.description } : {}),
    tags: endpoint.tags,
    // Who may call it, machine-readable: the authorization matrix test walks these.
    security: endpoint.auth.kind === 'public' ? [] : [{ bearerAuth: [] }],
    'x-auth-policy': describePolicy(endpoint.auth),
    'x-rate-limit-tier': rateLimitTier(endpoint),
    ...(parameters.length ? { parameters } : {}),
    ...(endpoint.body
      ? {
          requestBody: {
            required: !accepts(endpoint.body, undefined),
            content: { 'application/json': { schema: schemas.convert(endpoint.body, 'input') } },
          },
        }
      : {}),
    responses: responses(endpoint, schemas),
  };
}

function fieldParameters(schema: z.ZodObject | undefined, location: 'query' | 'header', schemas: SchemaCollector) {
  return Object.entries(schema?.shape ?? {}).map(([name, field]) => {
    const json = schemas.convert(field as z.ZodType, 'input');
    return {
      name,
      in: location,
      required: !accepts(field as z.ZodType, undefined),
      ...(typeof json.description === 'string' ? { description: json.description } : {}),
      schema: json,
    };
  });
}

/** The documented responses plus the problems the wrapper itself can answer with. */
function responses(endpoint: EndpointDescription, schemas: SchemaCollector): Record<string, unknown> {
  const hasInput = Boolean(endpoint.params || endpoint.query || endpoint.headers || endpoint.body);
  const automatic: [number, string][] = [
    ...(hasInput ? [[400, 'The request is not valid; `errors` lists each failing field'] as [number, string]] : []),
    ...(endpoint.body
      ? ([
          [413, 'The body is larger than allowed'],
          [415, 'The body is not JSON'],
        ] as [number, string][])
      : []),
    ...(endpoint.idempotent
      ? ([
          [409, 'A request with this Idempotency-Key is still being processed; retry after Retry-After seconds (what is left of its claim)'],
          [422, 'The Idempotency-Key was used with a different request'],
        ] as [number, string][])
      : []),
    ...(endpoint.auth.kind === 'public' ? [] : ([[401, 'No valid access token, or its session has ended']] as [number, string][])),
    ...(endpoint.auth.kind === 'roles' || endpoint.auth.kind === 'owner' ? ([[403, 'The caller lacks the role, or does not own the resource']] as [number, string][]) : []),
    [429, 'Rate limit reached; see Retry-After and the RateLimit headers'],
    [500, 'Unexpected error; quote the request id if you report it'],
  ];
  const result: Record<string, unknown> = {};
  for (const [status, description] of automatic) {
    result[status] = { description, content: { [PROBLEM_CONTENT_TYPE]: { schema: PROBLEM_REF } } };
  }
  for (const [status, spec] of Object.entries(endpoint.responses)) {
    // An error documented by description alone is a problem the handler throws.
    const isProblem = Number(status) >= 400 && !spec.schema && !spec.contentType;
    const contentType = spec.contentType ?? (isProblem ? PROBLEM_CONTENT_TYPE : 'application/json');
    const schema = spec.schema ? schemas.convert(spec.schema, 'output') : isProblem ? PROBLEM_REF : undefined;
    const hasContent = schema !== undefined || spec.contentType !== undefined;
    const untyped = /json/i.test(contentType) ? {} : { type: 'string' };
    result[status] = {
      description: spec.description,
      ...(hasContent ? { content: { [contentType]: { schema: schema ?? untyped } } } : {}),
    };
  }
  return result;
}

function accepts(schema: z.ZodType, value: unknown): boolean {
  return schema.safeParse(value).success;
}

/** Route template parameter names: `{id}`, `{id:guid}`, `{id?}`, `{*rest}`. */
function routeParams(route: string): string[] {
  return [...route.matchAll(/\{\*?([A-Za-z_][\w]*)[^}]*\}/g)].map((match) => match[1]!);
}

function toOpenApiPath(route: string): string {
  return route.replace(/^\/+/, '').replace(/\{\*?([A-Za-z_][\w]*)[^}]*\}/g, '{$1}');
}

/**
 * Converts zod schemas to JSON Schema 2020-12 and gathers the named ones (`.meta({ id })`)
 * into `components.schemas`. A named schema whose input and output shapes differ (defaults,
 * transforms) gets a second component, `<id>Input`.
 */
export class SchemaCollector {
  private readonly defs: Record<Io, Map<string, JsonSchema>> = { input: new Map(), output: new Map() };
  private readonly converted: { schema: JsonSchema; io: Io }[] = [];

  convert(schema: z.ZodType, io: Io): JsonSchema {
    const {
      $schema: _dialect,
      $defs,
      ...json
    } = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io,
      unrepresentable: 'any',
    }) as JsonSchema & { $defs?: Record<string, JsonSchema> };
    for (const [id, def] of Object.entries($defs ?? {})) {
      const known = this.defs[io].get(id);
      if (known && JSON.stringify(known) !== JSON.stringify(def)) {
        throw new Error(`Two different schemas are named "${id}" (recursive schemas need a unique .meta({ id }))`);
      }
      this.defs[io].set(id, def);
    }
    this.converted.push({ schema: json, io });
    return json;
  }

  /** The named schemas; also points every `$ref` gathered so far at them. */
  components(): Record<string, JsonSchema> {
    const name = (id: string, io: Io) => {
      const output = this.defs.output.get(id);
      const differs = io === 'input' && output && JSON.stringify(output) !== JSON.stringify(this.defs.input.get(id));
      return differs ? `${id}Input` : id;
    };
    const components: Record<string, JsonSchema> = {};
    for (const io of ['output', 'input'] as const) {
      for (const [id, def] of this.defs[io]) {
        components[name(id, io)] = def;
        this.converted.push({ schema: def, io });
      }
    }
    for (const { schema, io } of this.converted) rewriteRefs(schema, (id) => `#/components/schemas/${name(id, io)}`);
    return components;
  }
}

function rewriteRefs(node: unknown, target: (id: string) => string): void {
  if (Array.isArray(node)) {
    for (const item of node) rewriteRefs(item, target);
  } else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (typeof record.$ref === 'string' && record.$ref.startsWith('#/$defs/')) {
      record.$ref = target(decodeURIComponent(record.$ref.slice('#/$defs/'.length)));
    }
    for (const value of Object.values(record)) rewriteRefs(value, target);
  }
}
