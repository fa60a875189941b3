import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, readBody } from '../http/body';
import type { HttpHost } from '../http/http-host';
import { DurableError, type DurableEngine } from './durable-engine';
import { isTerminal, RUNTIME_STATUSES, type RuntimeStatus } from './history';
import { statusPayload } from './status-payload';

const BASE = 'runtime/webhooks/durabletask';
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const DEFAULT_PAGE = 100;

/** The management URLs a client gets for an instance (`createCheckStatusResponse`, the start response). */
export function managementUrls(base: string, hub: string, instanceId: string): Record<string, string> {
  const query = `taskHub=${encodeURIComponent(hub)}&connection=Storage`;
  const instance = `${base}/instances/${encodeURIComponent(instanceId)}`;
  return {
    id: instanceId,
    statusQueryGetUri: `${instance}?${query}`,
    sendEventPostUri: `${instance}/raiseEvent/{eventName}?${query}`,
    terminatePostUri: `${instance}/terminate?reason={text}&${query}`,
    rewindPostUri: `${instance}/rewind?reason={text}&${query}`,
    purgeHistoryDeleteUri: `${instance}?${query}`,
    restartPostUri: `${instance}/restart?${query}`,
    suspendPostUri: `${instance}/suspend?reason={text}&${query}`,
    resumePostUri: `${instance}/resume?reason={text}&${query}`,
  };
}

/**
 * The `durableClient` binding data (what `df.getClient(context)` reads): URL templates on the
 * public webhook base, and `rpcBaseUrl` on the same handler, which the client uses for every call.
 */
export function durableClientData(publicOrigin: string, rpcOrigin: string, hub: string): Record<string, unknown> {
  const base = `${publicOrigin}/${BASE}`;
  const query = `taskHub=${encodeURIComponent(hub)}&connection=Storage`;
  return {
    taskHubName: hub,
    connectionName: 'Storage',
    creationUrls: {
      createNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?${query}`,
      createAndWaitOnNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&${query}`,
    },
    managementUrls: managementUrls(base, hub, 'INSTANCEID'),
    baseUrl: base,
    requiredQueryStringParameters: query,
    rpcBaseUrl: `${rpcOrigin}/${BASE}/`,
    httpBaseUrl: null,
  };
}

/**
 * The Durable Functions HTTP API under /runtime/webhooks/durabletask, with the extension's paths,
 * query parameters, status codes and bodies, so the package's `DurableClient` and HTTP pollers
 * work unchanged. Locally it needs no system key; the host listens on loopback by default.
 */
export function addDurableRoutes(http: HttpHost, engine: DurableEngine): void {
  const hub = engine.settings.hubName;
  const route = (methods: string[], template: string, handler: (req: IncomingMessage, res: ServerResponse, params: Record<string, string>, query: URLSearchParams) => Promise<void> | void) =>
    http.addHostRoute(methods, `${BASE}/${template}`, async (req, res, params) => {
      const query = new URL(req.url ?? '/', 'http://local').searchParams;
      try {
        await handler(req, res, params, query);
      } catch (error) {
        if (!(error instanceof DurableError)) throw error;
        sendJson(res, error.status, { Message: error.message });
      }
    });
  const baseOf = (req: IncomingMessage) => `http://${req.headers.host ?? 'localhost'}/${BASE}`;
  const checkStatus = (req: IncomingMessage, res: ServerResponse, instanceId: string) => {
    const urls = managementUrls(baseOf(req), hub, instanceId);
    sendJson(res, 202, urls, { location: urls.statusQueryGetUri!, 'retry-after': '10' });
  };

  route(['POST'], 'orchestrators/{functionName}/{instanceId?}', async (req, res, params, query) => {
    const body = await readText(req);
    const input = body === '' ? null : assertJson(body, 'The request body must be JSON (the orchestration input).');
    const instanceId = engine.startNew(params.functionName!, {
      ...(params.instanceId ? { instanceId: params.instanceId } : {}),
      input,
      ...(query.get('version') ? { version: query.get('version')! } : {}),
    });
    const timeout = query.get('timeout');
    if (timeout === null) return checkStatus(req, res, instanceId);
    const finished = await engine.waitForCompletion(instanceId, seconds(timeout, 'timeout') * 1000);
    if (finished && isTerminal(finished.status)) return sendJson(res, 200, statusPayload(finished, { showInput: true }).output);
    return checkStatus(req, res, instanceId);
  });

  route(['GET'], 'instances/{instanceId?}', (req, res, params, query) => {
    if (!params.instanceId) return listInstances(res, req, query);
    const row = engine.instance(params.instanceId);
    if (!row) return sendJson(res, 404, { Message: `No instance with ID '${params.instanceId}' was found.` });
    const showHistory = flag(query, 'showHistory', false);
    const payload = statusPayload(row, {
      showInput: flag(query, 'showInput', true),
      showHistoryOutput: flag(query, 'showHistoryOutput', false),
      ...(showHistory ? { history: engine.history(row.instanceId) } : {}),
    });
    if (isTerminal(row.status)) {
      const failedAs500 = row.status === 'Failed' && flag(query, 'returnInternalServerErrorOnFailure', false);
      return sendJson(res, failedAs500 ? 500 : 200, payload);
    }
    sendJson(res, 202, payload, { location: managementUrls(baseOf(req), hub, row.instanceId).statusQueryGetUri!, 'retry-after': '5' });
  });

  const listInstances = (res: ServerResponse, req: IncomingMessage, query: URLSearchParams) => {
    const top = query.get('top') === null ? DEFAULT_PAGE : positiveInteger(query.get('top')!, 'top');
    const after = continuation(req.headers['x-ms-continuation-token']);
    const rows = engine.hub.listInstances(instanceFilter(query), top + 1, after);
    const page = rows.slice(0, top);
    const showInput = flag(query, 'showInput', false);
    const headers: Record<string, string> = {};
    const last = page.at(-1);
    if (rows.length > top && last) headers['x-ms-continuation-token'] = Buffer.from(JSON.stringify({ createdAt: last.createdAt, instanceId: last.instanceId })).toString('base64url');
    sendJson(
      res,
      200,
      page.map((row) => statusPayload(row, { showInput })),
      headers,
    );
  };

  route(['DELETE'], 'instances/{instanceId?}', (_req, res, params, query) => {
    if (params.instanceId) {
      return engine.purge(params.instanceId) ? sendJson(res, 200, { instancesDeleted: 1 }) : sendJson(res, 404, { Message: `No instance with ID '${params.instanceId}' was found.` });
    }
    if (!query.get('createdTimeFrom')) throw new DurableError(400, 'Purging by filter needs createdTimeFrom.');
    const filter = { createdTo: Date.now(), ...instanceFilter(query) };
    let deleted = 0;
    for (;;) {
      const rows = engine.hub.listInstances(filter, 500);
      for (const row of rows) if (engine.purge(row.instanceId)) deleted += 1;
      if (rows.length < 500) break;
    }
    // The extension answers 404 when nothing matched; the client reads that as zero deleted.
    return deleted ? sendJson(res, 200, { instancesDeleted: deleted }) : sendJson(res, 404, { Message: 'No instances matched the filter.' });
  });

  route(['POST'], 'instances/{instanceId}/raiseEvent/{eventName}', async (req, res, params) => {
    const body = await readText(req);
    const input = body === '' ? undefined : assertJson(body, 'The event data must be JSON.');
    engine.raiseEvent(params.instanceId!, params.eventName!, input);
    sendJson(res, 202, undefined);
  });

  route(['POST'], 'instances/{instanceId}/{operation}', (req, res, params, query) => {
    const instanceId = params.instanceId!;
    const reason = query.get('reason') ?? '';
    switch (params.operation!.toLowerCase()) {
      case 'terminate':
        engine.terminate(instanceId, reason);
        return sendJson(res, 202, undefined);
      case 'suspend':
        engine.suspend(instanceId, reason);
        return sendJson(res, 202, undefined);
      case 'resume':
        engine.resume(instanceId, reason);
        return sendJson(res, 202, undefined);
      case 'restart':
        return checkStatus(req, res, engine.restart(instanceId, flag(query, 'restartWithNewInstanceId', true)));
      case 'rewind':
        // Rewind is deprecated and Azure Storage-only; the client reports 501 as "not supported".
        return sendJson(res, 501, { Message: 'Rewind is not supported by the local host.' });
      default:
        return sendJson(res, 404, { Message: `Unknown operation '${params.operation}'.` });
    }
  });

  route(['GET'], 'entities/{entityName}/{entityKey}', (_req, res, params) => {
    const entity = engine.readEntity(params.entityName!, entityKey(params.entityKey!));
    if (!entity.exists) return sendJson(res, 404, { Message: `Entity @${params.entityName}@${params.entityKey} does not exist.` });
    sendRawJson(res, 200, entity.state ?? 'null');
  });

  route(['POST', 'DELETE'], 'entities/{entityName}/{entityKey}', async (req, res, params, query) => {
    const body = await readText(req);
    const input = body === '' ? undefined : assertJson(body, 'The operation input must be JSON.');
    const operation = req.method === 'DELETE' ? 'delete' : query.get('op');
    if (!operation) throw new DurableError(400, 'Signalling an entity needs the op query parameter.');
    engine.signalEntity(params.entityName!, entityKey(params.entityKey!), operation, input);
    sendJson(res, 202, undefined);
  });

  // The operator's view: counts by status, engine figures, and instances (filters as the list API).
  http.addHostRoute(['GET'], 'admin/durable', (_req, res) => {
    const query = new URL(_req.url ?? '/', 'http://local').searchParams;
    try {
      const { stats } = engine;
      const history = engine.hub.historyTotals();
      sendJson(res, 200, {
        taskHub: hub,
        counts: engine.hub.statusCounts(),
        engine: {
          // The host process's CPU time so far (all work, not only Durable), for per-instance cost in benchmarks.
          processCpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000),
          episodes: stats.episodes,
          activities: stats.activities,
          // Over the latest episodes, wall-clock latency (queueing and the group commit included): the whole episode, the
          // orchestrator function's invocation, and the rest (the engine's replay, bookkeeping and commit).
          episodeMs: percentiles(stats.recent.map((sample) => sample.episodeMs)),
          orchestratorMs: percentiles(stats.recent.map((sample) => sample.orchestratorMs)),
          engineOverheadMs: percentiles(stats.recent.map((sample) => sample.episodeMs - sample.orchestratorMs)),
        },
        history: { events: history.events, bytes: history.bytes },
        instances: engine.hub.listInstances(instanceFilter(query), 100).map((row) => statusPayload(row, { showInput: false })),
      });
    } catch (error) {
      if (!(error instanceof DurableError)) throw error;
      sendJson(res, error.status, { Message: error.message });
    }
  });
}

function instanceFilter(query: URLSearchParams): { createdFrom?: number; createdTo?: number; statuses?: RuntimeStatus[]; idPrefix?: string } {
  const time = (name: string) => {
    const value = query.get(name);
    if (value === null || value === '') return undefined;
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) throw new DurableError(400, `${name} must be a date and time (ISO 8601), got '${value}'.`);
    return ms;
  };
  const statuses = (query.get('runtimeStatus') ?? '')
    .split(',')
    .map((status) => status.trim())
    .filter(Boolean)
    .map((status) => {
      const known = RUNTIME_STATUSES.find((candidate) => candidate.toLowerCase() === status.toLowerCase());
      if (!known) throw new DurableError(400, `runtimeStatus '${status}' is not one of ${RUNTIME_STATUSES.join(', ')}.`);
      return known;
    });
  const from = time('createdTimeFrom');
  const to = time('createdTimeTo');
  return {
    ...(from === undefined ? {} : { createdFrom: from }),
    ...(to === undefined ? {} : { createdTo: to }),
    ...(statuses.length ? { statuses } : {}),
    ...(query.get('instanceIdPrefix') ? { idPrefix: query.get('instanceIdPrefix')! } : {}),
  };
}

function continuation(header: string | string[] | undefined): { createdAt: number; instanceId: string } | undefined {
  const token = Array.isArray(header) ? header[0] : header;
  if (!token) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { createdAt: unknown; instanceId: unknown };
    if (typeof parsed.createdAt === 'number' && typeof parsed.instanceId === 'string') return { createdAt: parsed.createdAt, instanceId: parsed.instanceId };
  } catch {
    // reported below
  }
  throw new DurableError(400, 'The x-ms-continuation-token header is not a token this API issued.');
}

/** The key "$" stands for the empty key, as in the extension's HTTP API. */
function entityKey(key: string): string {
  return key === '$' ? '' : key;
}

function flag(query: URLSearchParams, name: string, fallback: boolean): boolean {
  const value = query.get(name);
  if (value === null || value === '') return fallback;
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  throw new DurableError(400, `${name} must be true or false, got '${value}'.`);
}

function positiveInteger(value: string, name: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new DurableError(400, `${name} must be a positive whole number, got '${value}'.`);
  return number;
}

function seconds(value: string, name: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) throw new DurableError(400, `${name} must be a number of seconds, got '${value}'.`);
  return number;
}

function assertJson(text: string, message: string): string {
  try {
    JSON.parse(text);
    return text;
  } catch {
    throw new DurableError(400, message);
  }
}

async function readText(req: IncomingMessage): Promise<string> {
  try {
    return (await readBody(req, MAX_BODY_BYTES))?.toString('utf8') ?? '';
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw new DurableError(413, `The request body is larger than ${MAX_BODY_BYTES} bytes.`);
    throw error;
  }
}

function percentiles(values: number[]): { mean: number; p50: number; p99: number } {
  if (values.length === 0) return { mean: 0, p50: 0, p99: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
  return { mean: round(values.reduce((sum, value) => sum + value, 0) / values.length), p50: at(0.5), p99: at(0.99) };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (body === undefined) {
    res.writeHead(status, { ...headers, 'content-length': '0' }).end();
    return;
  }
  sendRawJson(res, status, JSON.stringify(body), headers);
}

function sendRawJson(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) }).end(text);
}
