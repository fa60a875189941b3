import { mkdirSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { applySettingsToEnvironment, readHostJson, readLocalSettings, type HostJson } from './settings';
import { installCoreModule, loadApp, resolveEntryFiles } from './app-loader';
import { Azurite } from './azurite';
import { FunctionRegistry } from './function-registry';
import { HostMetrics } from './host-metrics';
import { HttpHost } from './http/http-host';
import { readJsonBody } from './http/body';
import { DurableEngine, durableSettings } from './durable/durable-engine';
import { addDurableRoutes, durableClientData } from './durable/http-api';
import { Invoker, type FunctionsLibrary } from './invoker';
import { HostLogger, parseLogLevel } from './logger';
import { ServiceBusHost } from './servicebus/servicebus-host';
import { timeZoneFromEnvironment } from './timers/ncrontab/index';
import { TimerScheduler } from './timers/timer-scheduler';
import { startLocalWebPubSub } from './webpubsub/webpubsub-host';
import type { WebPubSubService } from './webpubsub/webpubsub-service';

export interface LocalHostOptions {
  /** The app: a directory with package.json (its `main` may be a glob) or one entry file. */
  app: string;
  port?: number;
  hostname?: string;
  /** Where the host keeps its state (broker, timer status, Azurite); default `<app>/.data`. */
  dataDir?: string;
  /** The app settings file; default `<app>/local.settings.json`. */
  settings?: string;
  /** Start Azurite when `AzureWebJobsStorage` is unset or `UseDevelopmentStorage=true` (default true). */
  azurite?: boolean;
  logLevel?: string;
  log?: (line: string) => void;
}

export type HostState = 'Default' | 'Initialized' | 'Running' | 'Stopping' | 'Stopped' | 'Error';

const HOST_VERSION = '4.1036.0';

/** The local stand-in for the Azure Functions host: loads a v4 app and runs its triggers. */
export class LocalHost {
  state: HostState = 'Default';
  readonly registry: FunctionRegistry;
  readonly logger: HostLogger;
  readonly metrics = new HostMetrics();
  private readonly startedAt = Date.now();
  private readonly instanceId = `${Math.random().toString(16).slice(2)}${Date.now().toString(16)}`;
  private http!: HttpHost;
  private invoker!: Invoker;
  private timers!: TimerScheduler;
  private serviceBus!: ServiceBusHost;
  private durable: DurableEngine | undefined;
  private azurite: Azurite | undefined;
  private webPubSub: WebPubSubService | undefined;
  private uninstallCore: (() => void) | undefined;
  private hostJson!: HostJson;
  appDir = '';
  dataDir = '';
  port = 0;

  constructor(private readonly options: LocalHostOptions) {
    this.logger = new HostLogger(parseLogLevel(options.logLevel ?? process.env.LOCAL_HOST_LOG_LEVEL), options.log);
    this.registry = new FunctionRegistry(this.logger);
  }

  get baseUrl(): string {
    return `http://${this.options.hostname ?? '127.0.0.1'}:${this.port}`;
  }

  async start(): Promise<void> {
    const { appDir, files } = await resolveEntryFiles(this.options.app);
    this.appDir = appDir;
    this.dataDir = path.resolve(this.options.dataDir ?? path.join(appDir, '.data'));
    mkdirSync(this.dataDir, { recursive: true });
    this.hostJson = readHostJson(appDir);
    const localSettings = readLocalSettings(appDir, this.options.settings);
    applySettingsToEnvironment(localSettings.values);
    process.env.FUNCTIONS_WORKER_RUNTIME ??= 'node';
    process.env.AzureWebJobsScriptRoot = appDir;
    // Apps may keep embedded state beside the host's (this project's SQLite store does).
    process.env.LOCAL_HOST_DATA_DIR = this.dataDir;
    // Azurite starts first, beside the rest of start-up; the app loads once its ports are known.
    const azuriteReady = this.startAzuriteIfNeeded();
    // Failing before it is awaited must not count as an unhandled rejection.
    azuriteReady.catch(() => undefined);

    const library = loadFunctionsLibrary(appDir);
    this.invoker = new Invoker(this.registry, this.logger, this.metrics, this.hostJson.functionTimeoutMs, library);
    this.http = new HttpHost(this.registry, this.invoker, this.logger, {
      routePrefix: this.hostJson.routePrefix,
      maxRequestBytes: 100 * 1024 * 1024,
    });
    this.addAdminRoutes();
    this.port = await this.http.listen(this.options.port ?? 7071, this.options.hostname ?? '127.0.0.1');
    // Durable Functions and other SDKs build callback URLs from this, as on App Service.
    process.env.WEBSITE_HOSTNAME = `localhost:${this.port}`;

    this.webPubSub = await startLocalWebPubSub(this.http, this.logger, localSettings.webPubSubHubs, () => this.baseUrl);
    this.serviceBus = new ServiceBusHost(this.registry, this.invoker, this.logger, this.metrics, {
      file: path.join(this.dataDir, 'servicebus.sqlite'),
      entitySettings: localSettings.serviceBusEntities,
      maxConcurrentCalls: this.hostJson.serviceBus.maxConcurrentCalls,
      autoComplete: this.hostJson.serviceBus.autoCompleteMessages,
    });
    this.uninstallCore = installCoreModule(this.registry);
    try {
      await azuriteReady;
      await loadApp(this.registry, files);
      this.state = 'Initialized';
      this.http.addFunctionRoutes(library?.HttpResponse);
      await this.serviceBus.prepare();
      this.serviceBus.addRoutes(this.http);
      this.prepareDurable();
      this.timers = new TimerScheduler(this.registry, this.invoker, this.logger, path.join(this.dataDir, 'timers'), timeZoneFromEnvironment());
      this.timers.prepare();
      this.reportUnsupported();
      await this.invoker.prepare();
      await this.registry.runHooks('appStart', { hookData: {}, functionAppDirectory: appDir });
    } catch (error) {
      this.state = 'Error';
      await this.stop();
      throw error;
    }
    this.timers.start();
    this.serviceBus.start();
    this.durable?.start();
    this.state = 'Running';
  }

  /** Graceful shutdown: stop taking work, let in-flight invocations finish, keep undelivered messages. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.state === 'Stopped') return;
    this.state = 'Stopping';
    await this.http?.close(graceMs);
    await this.durable?.stop();
    await this.serviceBus?.stop();
    await this.timers?.stop();
    try {
      await this.registry.runHooks('appTerminate', { hookData: {} });
    } catch (error) {
      this.logger.error(`appTerminate hook failed: ${(error as Error).message}`);
    }
    this.invoker?.close();
    await this.azurite?.stop();
    await this.webPubSub?.close();
    this.serviceBus?.close();
    this.durable?.close();
    this.uninstallCore?.();
    this.state = 'Stopped';
  }

  describeFunctions(): string[] {
    const http = this.http.functionRoutes().map((route) => `  ${route.name}: [${route.methods.join(',')}] ${this.baseUrl}${route.url}`);
    const others = [...this.registry.functions.values()].filter((fn) => fn.trigger.type !== 'httpTrigger').map((fn) => `  ${fn.name}: ${fn.trigger.type}`);
    return [...http, ...others];
  }

  /** Starts Azurite and points `AzureWebJobsStorage` at it, when the settings leave storage to the host. */
  private async startAzuriteIfNeeded(): Promise<void> {
    const current = process.env.AzureWebJobsStorage;
    const wanted = this.options.azurite !== false && (!current || /UseDevelopmentStorage=true/i.test(current));
    if (!wanted) return;
    this.azurite = new Azurite(this.dataDir);
    const endpoints = await this.azurite.start();
    process.env.AzureWebJobsStorage = endpoints.connectionString;
    this.logger.info(`Azurite: blob http://127.0.0.1:${endpoints.blobPort}, queue :${endpoints.queuePort}, table :${endpoints.tablePort}`);
  }

  /**
   * The Durable Task extension's part: the engine with its task hub under the data dir, the
   * `durableClient` input binding, and the HTTP API under /runtime/webhooks/durabletask.
   */
  private prepareDurable(): void {
    const engine = new DurableEngine(this.registry, this.invoker, this.logger, durableSettings(this.hostJson.raw));
    engine.prepare(path.join(this.dataDir, 'durable.sqlite'));
    this.durable = engine;
    const clientData = JSON.stringify(durableClientData(`http://${process.env.WEBSITE_HOSTNAME}`, this.baseUrl, engine.settings.hubName));
    for (const type of ['durableclient', 'orchestrationclient']) this.invoker.inputProviders.set(type, () => ({ string: clientData }));
    addDurableRoutes(this.http, engine);
  }

  private reportUnsupported(): void {
    const supported = new Set(['httptrigger', 'timertrigger', 'servicebustrigger', ...DurableEngine.triggerTypes]);
    for (const fn of this.registry.functions.values()) {
      const type = (fn.trigger.type ?? '').toLowerCase();
      if (!supported.has(type)) {
        this.logger.warn(`Function '${fn.name}' uses trigger '${fn.trigger.type}', which this local host does not run; it is loaded but never triggered.`);
      }
      const missing = this.invoker.unsupportedBindings(fn);
      if (missing.length) throw new Error(`Function '${fn.name}' uses bindings this local host does not provide: ${missing.join(', ')}.`);
    }
  }

  private addAdminRoutes(): void {
    this.http.addHostRoute(['GET'], 'admin/host/status', (_req, res) =>
      sendJson(res, 200, {
        id: this.instanceId,
        state: this.state,
        version: HOST_VERSION,
        versionDetails: `${HOST_VERSION} (FoodXchange local host)`,
        platformVersion: '',
        instanceId: this.instanceId,
        computerName: 'localhost',
        processUptime: Date.now() - this.startedAt,
        functionAppContentEditingState: 'NotAllowed',
      }),
    );
    this.http.addHostRoute(['GET'], 'admin/functions', (_req, res) =>
      sendJson(
        res,
        200,
        [...this.registry.functions.values()].map((fn) => ({ name: fn.name, trigger: fn.trigger.type, bindings: Object.values(fn.metadata.bindings) })),
      ),
    );
    this.http.addHostRoute(['GET'], 'admin/metrics', async (_req, res) => {
      res.writeHead(200, { 'content-type': this.metrics.registry.contentType }).end(await this.metrics.registry.metrics());
    });
    this.http.addHostRoute(['POST'], 'admin/functions/{name}', (req, res, params) => this.invokeByHand(req, res, params.name!));
  }

  /** `POST /admin/functions/{name}` with `{"input": "..."}`: runs a non-HTTP function, answers 202. */
  private async invokeByHand(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
    const fn = this.registry.find(name);
    if (!fn) return sendJson(res, 404, { Message: `Function '${name}' not found.` });
    if (fn.trigger.type === 'httpTrigger') return sendJson(res, 400, { Message: `Function '${name}' is HTTP-triggered; call its route instead.` });
    let body: unknown;
    try {
      body = await readJsonBody(req, 1024 * 1024);
    } catch {
      return sendJson(res, 400, { Message: 'The request body must be JSON such as {"input": "..."}.' });
    }
    const input = body && typeof body === 'object' ? (body as { input?: unknown }).input : undefined;
    sendJson(res, 202, undefined);
    const run = async (): Promise<unknown> => {
      switch ((fn.trigger.type ?? '').toLowerCase()) {
        case 'timertrigger':
          return this.timers.invokeNow(fn);
        case 'servicebustrigger':
          return this.serviceBus.invokeNow(fn, input);
        default:
          return this.invoker.invoke(fn, { trigger: { string: typeof input === 'string' ? input : JSON.stringify(input ?? null) } });
      }
    };
    void Promise.resolve()
      .then(run)
      .catch(() => undefined); // logged by the invoker
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (body === undefined) {
    res.writeHead(status, { 'content-length': '0' }).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) }).end(text);
}

/** The app's own copy of `@azure/functions`, so requests, contexts and `instanceof HttpResponse` match its code. */
function loadFunctionsLibrary(appDir: string): FunctionsLibrary | undefined {
  try {
    return require(require.resolve('@azure/functions', { paths: [appDir] })) as FunctionsLibrary;
  } catch {
    return undefined;
  }
}
