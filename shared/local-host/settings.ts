import { parseTimeSpan } from './timespan';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface HostJson {
  routePrefix: string;
  functionTimeoutMs: number;
  serviceBus: { maxConcurrentCalls: number; autoCompleteMessages: boolean };
  raw: Record<string, unknown>;
}

export interface LocalSettings {
  values: Record<string, string>;
  /** Local Service Bus entity settings (`LocalServiceBus.entities`), keyed by queue/topic or `topic/subscriptions/sub`. */
  serviceBusEntities: Record<string, Record<string, unknown>>;
  /** Local Web PubSub hub settings (`LocalWebPubSub.hubs`), keyed by hub, spelled as the hub resource's properties. */
  webPubSubHubs: Record<string, unknown>;
  cors?: string;
}

function readJson(file: string): Record<string, unknown> | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

function pick(object: unknown, ...keys: string[]): unknown {
  let current = object;
  for (const key of keys) {
    if (!current || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export function readHostJson(appDir: string): HostJson {
  const raw = readJson(path.join(appDir, 'host.json')) ?? {};
  const routePrefix = pick(raw, 'extensions', 'http', 'routePrefix');
  const timeout = pick(raw, 'functionTimeout');
  const maxConcurrentCalls = pick(raw, 'extensions', 'serviceBus', 'maxConcurrentCalls');
  const autoComplete = pick(raw, 'extensions', 'serviceBus', 'autoCompleteMessages');
  return {
    routePrefix: typeof routePrefix === 'string' ? routePrefix.replace(/^\/+|\/+$/g, '') : 'api',
    // Core Tools default for the Consumption-style plans.
    functionTimeoutMs: typeof timeout === 'string' ? parseTimeSpan(timeout) : 5 * 60 * 1000,
    serviceBus: {
      maxConcurrentCalls: typeof maxConcurrentCalls === 'number' && maxConcurrentCalls > 0 ? maxConcurrentCalls : 16,
      autoCompleteMessages: autoComplete !== false,
    },
    raw,
  };
}

/**
 * The app settings in `<appDir>/local.settings.json` (none when it is absent), or in `file` when
 * one is named (it must exist): tests name theirs, so a developer's own settings never reach them.
 */
export function readLocalSettings(appDir: string, file?: string): LocalSettings {
  if (file !== undefined && !existsSync(file)) throw new Error(`the settings file ${file} does not exist`);
  const raw = readJson(file ?? path.join(appDir, 'local.settings.json')) ?? {};
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries((raw.Values as Record<string, unknown>) ?? {})) {
    if (value !== null && value !== undefined) values[key] = String(value);
  }
  const entities = pick(raw, 'LocalServiceBus', 'entities');
  const hubs = pick(raw, 'LocalWebPubSub', 'hubs');
  return {
    values,
    serviceBusEntities: entities && typeof entities === 'object' ? (entities as Record<string, Record<string, unknown>>) : {},
    webPubSubHubs: hubs && typeof hubs === 'object' ? (hubs as Record<string, unknown>) : {},
    cors: typeof pick(raw, 'Host', 'CORS') === 'string' ? (pick(raw, 'Host', 'CORS') as string) : undefined,
  };
}

/** App settings become environment variables for the app, as Core Tools does; the real environment wins. */
export function applySettingsToEnvironment(values: Record<string, string>, env: NodeJS.ProcessEnv = process.env): void {
  for (const [key, value] of Object.entries(values)) {
    if (env[key] === undefined) env[key] = value;
  }
}
