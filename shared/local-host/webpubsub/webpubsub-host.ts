import type { ServerResponse } from 'node:http';
import type { HttpHost } from '../http/http-host';
import type { HostLogger } from '../logger';
import { parseHubSettings } from './event-handler';
import { WebPubSubService } from './webpubsub-service';

/** The setting the Azure Functions Web PubSub extension reads by default, and `WebPubSubServiceClient.fromConnectionString` takes. */
export const CONNECTION_SETTING = 'WebPubSubConnectionString';

/**
 * Starts the local Web PubSub service when the app has no `WebPubSubConnectionString`, points
 * the setting at it before the app loads (as `AzureWebJobsStorage` is pointed at Azurite), and
 * adds its admin routes.
 */
export async function startLocalWebPubSub(http: HttpHost, logger: HostLogger, hubSettings: Record<string, unknown>, appBaseUrl: () => string): Promise<WebPubSubService | undefined> {
  if (process.env[CONNECTION_SETTING]) return undefined;
  const service = new WebPubSubService({ hubs: parseHubSettings(hubSettings), appBaseUrl, logger, recoveryWindowMs: recoveryWindow() });
  await service.listen();
  process.env[CONNECTION_SETTING] = service.connectionString;
  logger.info(`Web PubSub: ${service.endpoint} (${CONNECTION_SETTING} set for the app)`);
  http.addHostRoute(['GET'], 'admin/webpubsub', (_req, res) => json(res, 200, service.describe()));
  http.addHostRoute(['POST'], 'admin/webpubsub/{hub}/connections/{connectionId}/drop', (_req, res, params) => json(res, service.drop(params.hub!, params.connectionId!) ? 202 : 404, undefined));
  return service;
}

/** `LOCAL_WEBPUBSUB_RECOVERY_MS`: how long a dropped reliable connection may be recovered (default 30 s, as the SDK retries). */
function recoveryWindow(): number | undefined {
  const value = Number(process.env.LOCAL_WEBPUBSUB_RECOVERY_MS);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) }).end(text);
}
