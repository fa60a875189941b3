import { performance } from 'node:perf_hooks';
import { app, type FunctionInput, type FunctionOutput, type HttpHandler, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import type { z } from 'zod';
import { recordHttpRequest, recordInvocationError } from '../observability/metrics';
import { type AuthPolicy, authenticateFor, enforceOwnership, requireRole } from './auth';
import type { Principal } from '../domain/identity/principal';
import type { RateLimitTier } from '../identity-config';
import { clientIp, type RateLimiter, rateLimitHeaders } from './rate-limit';
import { correlate, type Correlation } from './correlation';
import { corsHeaders, optionsHeaders } from './cors';
import { methodsForRoute, recordEndpoint } from './endpoint-registry';
import type { Config } from '../config';
import type { Container } from '../data/document-store';
import type { Authenticator } from '../domain/identity/authenticator';
import { parseIdempotencyKey, runIdempotent, type IdempotencyRecord, type RememberedResponse } from './idempotency';
import { PROBLEM_CONTENT_TYPE, toProblem } from './problem';
import { readRequestInput } from './request-input';
import { API_CSP, DEFAULT_CACHE_CONTROL, securityHeaders } from './security-headers';

export type EndpointMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Params, query and headers are objects of named values, so each key can be documented. */
type ObjectSchema = z.ZodObject;
type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** Defaults to `application/json`; a 4xx/5xx with neither schema nor type is a Problem. */
  contentType?: string;
}

/** The caller as a handler sees it: always there, except on public endpoints (where only one that asks for its viewer may get one). */
export type CallerOf<A extends AuthPolicy> = A extends { kind: 'public'; viewer: true } ? Principal | null : A extends { kind: 'public' } ? null : Principal;

export interface HandlerInput<P, Q, B, H, A extends AuthPolicy = AuthPolicy> {
  params: Parsed<P>;
  query: Parsed<Q>;
  body: Parsed<B>;
  headers: Parsed<H>;
  /** The signed-in caller; null only on public endpoints. */
  principal: CallerOf<A>;
  request: HttpRequest;
  context: InvocationContext;
  /**
   * With an Idempotency-Key: the same id on every run of this request (a retry after a crash can
   * run it again). Use it as the id of what the request creates, created only if absent, so a
   * second run finds the first run's instead of making another. Undefined without a key.
   */
  effectId: string | undefined;
}

/** A JSON body (the default) ... */
export interface JsonResult {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** ... or bytes/text of another type, such as HTML or Prometheus text. */
export interface RawResult {
  status?: number;
  headers?: Record<string, string>;
  raw: string | Uint8Array;
  contentType: string;
}

export type EndpointResult = JsonResult | RawResult;

export interface EndpointSpec<
  P extends ObjectSchema | undefined = undefined,
  Q extends ObjectSchema | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  H extends ObjectSchema | undefined = undefined,
  A extends AuthPolicy = AuthPolicy,
> {
  /** The function name; also the OpenAPI operationId. */
  name: string;
  method: EndpointMethod;
  /** Without the `api/` prefix, e.g. `v1/experts/{id}`. */
  route: string;
  summary: string;
  description?: string;
  tags: readonly string[];
  auth: A;
  /**
   * The rate-limit tier, counted per client IP and, when signed in, per account. Defaults:
   * GET on a public endpoint `publicRead`, other GETs `read`, everything else `write`; sign-in
   * and code checks say `credentials`, costly work (AI matching, exports) `expensive`. `none`
   * only for a webhook that authenticates every call by signature and is called by one service
   * for all its users (counting it per IP would throttle the service, not an abuser).
   */
  rateLimit?: RateLimitTier | 'none';
  params?: P;
  query?: Q;
  body?: B;
  /** Keys are lower-case header names. */
  headers?: H;
  responses: Record<number, ResponseSpec>;
  /**
   * Accept an `Idempotency-Key` header: a retried request with the same key replays the first
   * successful response instead of running again (for POSTs that move money or send messages).
   */
  idempotent?: boolean;
  /** For pages that load their own scripts and styles; JSON endpoints keep the strict default. */
  contentSecurityPolicy?: string;
  /** False leaves the endpoint out of the OpenAPI document (the docs page's own assets). */
  documented?: boolean;
  /** Input bindings besides the request, e.g. the Durable client (read them from `context`). */
  extraInputs?: readonly FunctionInput[];
  /** Output bindings besides the response, e.g. a Service Bus queue (set them on `context.extraOutputs`). */
  extraOutputs?: readonly FunctionOutput[];
  /**
   * Extra headers for the answer to OPTIONS, which is then a 200: a webhook's grant in the
   * CloudEvents abuse-protection handshake (`WebHook-Allowed-Origin`). Empty grants nothing.
   */
  optionsHeaders?: (request: HttpRequest) => Record<string, string>;
  handler: (input: HandlerInput<P, Q, B, H, A>) => EndpointResult | Promise<EndpointResult>;
}

/** What the OpenAPI document and CORS need to know about an endpoint. */
export type EndpointDescription = Omit<EndpointSpec<ObjectSchema | undefined, ObjectSchema | undefined, z.ZodType | undefined, ObjectSchema | undefined>, 'handler' | 'extraInputs' | 'extraOutputs'>;

interface WireResponse {
  status: number;
  headers: Headers;
  body?: string | Uint8Array;
}

const NO_BODY_STATUSES = new Set([204, 304]);

/** What the kit reads on every request, given once when the kit is made. */
export interface EndpointWiring {
  /** The HTTP settings (CORS origins, body limit, idempotency lease): synchronous, so even a failed start answers with CORS headers. */
  settings: () => Config['http'];
  /** Who is calling, the rate limits and the Idempotency-Key records; built on first use. */
  services: () => Promise<EndpointServices>;
}

export interface EndpointServices {
  authenticator: Authenticator;
  rateLimiter: Pick<RateLimiter, 'take'>;
  idempotencyKeys: Container<IdempotencyRecord>;
}

/** Wraps an endpoint's spec into a handler (typed by its schemas and policy). */
export type EndpointFactory = <
  P extends ObjectSchema | undefined = undefined,
  Q extends ObjectSchema | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  H extends ObjectSchema | undefined = undefined,
  A extends AuthPolicy = AuthPolicy,
>(
  spec: EndpointSpec<P, Q, B, H, A>,
) => HttpHandler;

export interface EndpointKit {
  /**
   * Declares an HTTP function: records it for the OpenAPI document and CORS, and registers it
   * (plus OPTIONS for preflight) with the Functions runtime. Returns the wrapped handler.
   */
  defineEndpoint: EndpointFactory;
  /** The wrapped handler alone, without registering it (tests use this). */
  createHandler: EndpointFactory;
}

/** The endpoint kit over the app's wiring: the composition root makes the app's one; tests make their own. */
export function endpointKit(wiring: EndpointWiring): EndpointKit {
  const createHandler: EndpointKit['createHandler'] = (spec) =>
    wrap(spec as EndpointSpec<ObjectSchema | undefined, ObjectSchema | undefined, z.ZodType | undefined, ObjectSchema | undefined, AuthPolicy>, wiring);
  return {
    createHandler,
    defineEndpoint(spec) {
      const handler = createHandler(spec);
      recordEndpoint(spec);
      app.http(spec.name, {
        methods: [spec.method, 'OPTIONS'],
        route: spec.route,
        authLevel: 'anonymous',
        ...(spec.extraInputs ? { extraInputs: [...spec.extraInputs] } : {}),
        ...(spec.extraOutputs ? { extraOutputs: [...spec.extraOutputs] } : {}),
        handler,
      });
      return handler;
    },
  };
}

function wrap<P extends ObjectSchema | undefined, Q extends ObjectSchema | undefined, B extends z.ZodType | undefined, H extends ObjectSchema | undefined, A extends AuthPolicy>(
  spec: EndpointSpec<P, Q, B, H, A>,
  wiring: EndpointWiring,
): HttpHandler {
  // Checked at run time too: a policy-less endpoint must not start, even from untyped code.
  if (!spec.auth) throw new Error(`HTTP function "${spec.name}" has no auth policy`);
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const started = performance.now();
    const correlation = correlate(request, context);
    const settings = wiring.settings();
    let response: WireResponse;
    try {
      response = request.method === 'OPTIONS' ? answerOptions(spec, request, settings) : await invoke(spec, request, context, settings, await wiring.services());
    } catch (error) {
      response = problemResponse(error, request, context, correlation, spec.name);
    }
    addStandardHeaders(response.headers, request, correlation, spec.contentSecurityPolicy ?? API_CSP, settings);
    recordHttpRequest(spec.name, request.method, response.status, (performance.now() - started) / 1000);
    return { status: response.status, headers: Object.fromEntries(response.headers), body: response.body };
  };
}

function answerOptions(spec: Pick<EndpointDescription, 'method' | 'route' | 'optionsHeaders'>, request: HttpRequest, settings: Config['http']): WireResponse {
  // Any endpoint on the route may get the preflight, so each answers for all of them.
  const headers = new Headers(optionsHeaders(request, [...new Set([spec.method, ...methodsForRoute(spec.route)])], settings.corsAllowedOrigins));
  const extra = Object.entries(spec.optionsHeaders?.(request) ?? {});
  for (const [name, value] of extra) headers.set(name, value);
  return { status: extra.length ? 200 : 204, headers };
}

async function invoke<P extends ObjectSchema | undefined, Q extends ObjectSchema | undefined, B extends z.ZodType | undefined, H extends ObjectSchema | undefined, A extends AuthPolicy>(
  spec: EndpointSpec<P, Q, B, H, A>,
  request: HttpRequest,
  context: InvocationContext,
  settings: Config['http'],
  services: EndpointServices,
): Promise<WireResponse> {
  // A signed-in caller is counted by account (wherever it calls from); anyone else, and every
  // failed authentication (so token guessing is limited too), by client IP. One counter a request.
  const tier = rateLimitTier(spec);
  const count = (key: string) => (tier === 'none' ? undefined : services.rateLimiter.take(tier, key));
  const byIp = () => count(`ip:${clientIp(request)}`);
  let principal: Principal | null;
  try {
    principal = await authenticateFor(spec.auth, request, services.authenticator);
  } catch (error) {
    await byIp();
    throw error;
  }
  const decision = principal ? await count(`user:${principal.userId}`) : await byIp();
  requireRole(spec.auth, principal);
  const key = spec.idempotent ? parseIdempotencyKey(request.headers.get('idempotency-key')) : undefined;
  const input = await readRequestInput(spec, request, settings.maxBodyBytes);
  await enforceOwnership(spec.auth, input.params, principal);
  const run = async (effectId?: string) =>
    // authenticateFor returned a principal for every policy but public (and maybe there), which is what CallerOf says.
    toWireResponse(await spec.handler({ ...(input as Pick<HandlerInput<P, Q, B, H, A>, 'params' | 'query' | 'body' | 'headers'>), principal: principal as CallerOf<A>, request, context, effectId }));
  let wire: WireResponse;
  if (!key) {
    wire = await run();
  } else {
    const { response, replayed } = await runIdempotent(
      services.idempotencyKeys,
      // Keys are the caller's own: two accounts using the same key never collide.
      {
        scope: `${spec.name}\n${principal?.userId ?? ''}`,
        key,
        request: { method: spec.method, params: input.params, query: input.query, body: input.body },
        leaseMs: settings.idempotencyLeaseMs,
      },
      async ({ effectId }) => toRemembered(await run(effectId)),
    );
    wire = { status: response.status, headers: new Headers(response.headers), body: response.body };
    if (replayed) wire.headers.set('idempotency-replayed', 'true');
  }
  if (decision) for (const [name, value] of Object.entries(rateLimitHeaders(decision))) wire.headers.set(name, value);
  return wire;
}

export function rateLimitTier(spec: Pick<EndpointDescription, 'rateLimit' | 'method' | 'auth'>): RateLimitTier | 'none' {
  if (spec.rateLimit) return spec.rateLimit;
  if (spec.method !== 'GET') return 'write';
  return spec.auth.kind === 'public' ? 'publicRead' : 'read';
}

/** Idempotent endpoints answer JSON, so bodies are remembered as text. */
function toRemembered(response: WireResponse): RememberedResponse {
  const body = response.body === undefined || typeof response.body === 'string' ? response.body : Buffer.from(response.body).toString('utf8');
  return { status: response.status, headers: Object.fromEntries(response.headers), ...(body === undefined ? {} : { body }) };
}

function toWireResponse(result: EndpointResult): WireResponse {
  const headers = new Headers(result.headers);
  if ('raw' in result) {
    headers.set('content-type', result.contentType);
    return { status: result.status ?? 200, headers, body: result.raw };
  }
  const status = result.status ?? (result.body === undefined ? 204 : 200);
  if (result.body === undefined || NO_BODY_STATUSES.has(status)) return { status, headers };
  if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  return { status, headers, body: JSON.stringify(result.body) };
}

function problemResponse(error: unknown, request: HttpRequest, context: InvocationContext, correlation: Correlation, functionName: string): WireResponse {
  const { status, headers, problem, unexpected } = toProblem(error, {
    instance: new URL(request.url).pathname,
    requestId: correlation.requestId,
  });
  if (unexpected) {
    context.error(`Unexpected error in ${functionName} (invocation ${context.invocationId}, request ${correlation.requestId})`, error);
    recordInvocationError(functionName, 'http');
  }
  const wireHeaders = new Headers(headers);
  wireHeaders.set('content-type', PROBLEM_CONTENT_TYPE);
  return { status, headers: wireHeaders, body: JSON.stringify(problem) };
}

/** Correlation, security and CORS headers: on every response, errors and preflights included. */
function addStandardHeaders(headers: Headers, request: HttpRequest, correlation: Correlation, csp: string, settings: Config['http']): void {
  if (!headers.has('cache-control')) headers.set('cache-control', DEFAULT_CACHE_CONTROL);
  const https = new URL(request.url).protocol === 'https:';
  for (const [name, value] of Object.entries({ ...securityHeaders({ https, csp }), ...corsHeaders(request, settings.corsAllowedOrigins) })) {
    if (name === 'vary') headers.append(name, value);
    else headers.set(name, value);
  }
  headers.set('x-request-id', correlation.requestId);
  headers.set('traceparent', correlation.traceparent);
}
