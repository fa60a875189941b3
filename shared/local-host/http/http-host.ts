import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FunctionRegistry, RegisteredFunction } from '../function-registry';
import type { Invoker } from '../invoker';
import type { HostLogger } from '../logger';
import { BodyTooLargeError, hasBody, readBody } from './body';
import { LazyNativeRequest } from './lazy-request';
import { joinRoutePrefix, RouteTable } from './route-template/index';
import { invocationTraceParent } from './trace';
import { writeHandlerResult } from './write-response';

/** A host-owned endpoint (admin API, Durable HTTP API, ...). */
export type HostRouteHandler = (req: IncomingMessage, res: ServerResponse, params: Record<string, string>) => Promise<void> | void;

interface AppRoute {
  kind: 'function';
  fn: RegisteredFunction;
}
interface HostRoute {
  kind: 'host';
  handler: HostRouteHandler;
}

export interface HttpHostOptions {
  routePrefix: string;
  /** Largest request body accepted (the runtime's default is 100 MB). */
  maxRequestBytes: number;
}

const RESERVED_PREFIX = /^\/(admin|runtime)\//i;

const ALL_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE'];

/**
 * Serves HTTP triggers (and host endpoints) with the runtime's routing rules, invoking handlers
 * with genuine `HttpRequest` objects through the invoker.
 */
export class HttpHost {
  /** First registered route that matches wins, as in the Functions host's route collection (no precedence). */
  private readonly routes = new RouteTable<AppRoute>([], { order: 'registration' });
  /** Host endpoints live under the prefixes the runtime reserves, so app routes never see them. */
  private readonly hostRoutes = new RouteTable<HostRoute>([], { order: 'registration' });
  private server: Server | undefined;
  private inFlight = 0;
  private drained: (() => void) | undefined;
  private responseClass: unknown;

  constructor(
    private readonly registry: FunctionRegistry,
    private readonly invoker: Invoker,
    private readonly logger: HostLogger,
    private readonly options: HttpHostOptions,
  ) {}

  /** Registers every HTTP-triggered function; call after the app has loaded. */
  addFunctionRoutes(responseClass: unknown): void {
    this.responseClass = responseClass;
    // A disabled HTTP function answers 404, as in Azure.
    for (const fn of this.enabledHttpFunctions()) {
      const route = typeof fn.trigger.route === 'string' && fn.trigger.route ? fn.trigger.route : fn.name;
      const methods = Array.isArray(fn.trigger.methods) && fn.trigger.methods.length ? (fn.trigger.methods as string[]) : ALL_METHODS;
      this.routes.add({
        template: joinRoutePrefix(this.options.routePrefix, route),
        methods: methods.map((method) => method.toUpperCase()),
        value: { kind: 'function', fn },
      });
    }
  }

  private enabledHttpFunctions(): RegisteredFunction[] {
    return this.registry.byTriggerType('httpTrigger').filter((fn) => !fn.disabled);
  }

  addHostRoute(methods: string[], template: string, handler: HostRouteHandler): void {
    if (!RESERVED_PREFIX.test(`/${template}`)) throw new Error(`Host routes must start with admin/ or runtime/: ${template}`);
    this.hostRoutes.add({ template, methods, value: { kind: 'host', handler } });
  }

  functionRoutes(): { name: string; methods: string[]; url: string }[] {
    return this.enabledHttpFunctions().map((fn) => {
      const route = typeof fn.trigger.route === 'string' && fn.trigger.route ? fn.trigger.route : fn.name;
      const methods = Array.isArray(fn.trigger.methods) && fn.trigger.methods.length ? (fn.trigger.methods as string[]) : ALL_METHODS;
      return { name: fn.name, methods, url: `/${joinRoutePrefix(this.options.routePrefix, route)}` };
    });
  }

  async listen(port: number, hostname: string): Promise<number> {
    this.server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, hostname, () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  /** Stops taking requests and resolves once in-flight invocations have finished. */
  async close(graceMs: number): Promise<void> {
    if (!this.server) return;
    const server = this.server;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    if (this.inFlight > 0) {
      await Promise.race([new Promise<void>((resolve) => (this.drained = resolve)), delay(graceMs)]);
    }
    server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight++;
    try {
      const url = req.url ?? '/';
      const queryIndex = url.indexOf('?');
      const pathname = queryIndex === -1 ? url : url.slice(0, queryIndex);
      const method = (req.method ?? 'GET').toUpperCase();
      const found = RESERVED_PREFIX.test(pathname) ? this.hostRoutes.match(method, pathname) : this.routes.match(method, pathname);
      if (found?.kind !== 'match') {
        // The runtime answers an unknown route, and a known route with another method, with an empty 404.
        req.resume();
        res.writeHead(404, { 'content-length': '0' }).end();
        return;
      }
      if (found.value.kind === 'host') {
        await found.value.handler(req, res, found.params);
      } else {
        await this.invokeHttpFunction(found.value.fn, req, res, found.params, method, url, queryIndex !== -1);
      }
    } catch (error) {
      this.logger.error(`Host error serving ${req.method} ${req.url}: ${(error as Error).stack ?? error}`);
      if (!res.headersSent) res.writeHead(500, { 'content-length': '0' });
      res.end();
    } finally {
      if (--this.inFlight === 0) this.drained?.();
    }
  }

  private async invokeHttpFunction(fn: RegisteredFunction, req: IncomingMessage, res: ServerResponse, params: Record<string, string>, method: string, url: string, hasQuery: boolean): Promise<void> {
    let body: Buffer | undefined;
    try {
      body = hasBody(req) ? await readBody(req, this.options.maxRequestBytes) : undefined;
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      res.writeHead(413, { 'content-length': '0', connection: 'close' }).end();
      return;
    }
    const rawHeaders = [...req.rawHeaders, 'X-Forwarded-For', forwardedFor(req)];
    const nativeRequest = new LazyNativeRequest(`http://${req.headers.host ?? 'localhost'}${url}`, method, rawHeaders, body);
    try {
      const result = await this.invoker.invokeHttp(fn, { nativeRequest, params, hasQuery, traceParent: invocationTraceParent(headerValue(req, 'traceparent')) });
      const streaming = writeHandlerResult(res, result, this.responseClass);
      if (streaming) await streaming;
    } catch {
      // As in Azure: a failed invocation is an empty 500; the invoker logged the details.
      if (!res.headersSent) res.writeHead(500, { 'content-length': '0' });
      res.end();
    }
  }
}

/**
 * The hop App Service's front end appends to `X-Forwarded-For` (creating it when absent): the
 * socket's peer as `ip:port`, `[ipv6]:port`. Apps read the client IP from this last hop; what
 * the client sent stays before it.
 */
function forwardedFor(req: IncomingMessage): string {
  const { remoteAddress = '', remotePort } = req.socket;
  const address = remoteAddress.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  return `${address.includes(':') ? `[${address}]` : address}:${remotePort}`;
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
