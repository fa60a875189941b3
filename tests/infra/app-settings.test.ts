/**
 * The app's settings agree across the four places that name them: the settings schema
 * (shared/config.ts), the app settings Bicep gives the function app, local.settings.example.json
 * and the README's configuration table. Above all: what Bicep sets is enough for the app to start
 * in Azure mode with every Azure adapter on (real-time included), and nothing Bicep sets is a name
 * the app does not read.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, SETTING_NAMES } from '../../shared/config';
import { objectEntries, readBicep, type BicepFile } from './bicep-lite.js';

const ROOT = resolve(__dirname, '../..');
const FUNCTION_APP = readBicep(join(ROOT, 'bicep/function-app.bicep'));
const MAIN = readBicep(join(ROOT, 'infra/main.bicep'));

/** Read by the Functions host, its bindings or the platform, not by the app's schema. */
const RUNTIME_SETTINGS = new Set([
  'AzureWebJobsStorage__credential',
  'AzureWebJobsStorage__clientId',
  'ServiceBusConnection__fullyQualifiedNamespace',
  'ServiceBusConnection__credential',
  'ServiceBusConnection__clientId',
  'APPLICATIONINSIGHTS_CONNECTION_STRING',
  'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
  'FUNCTIONS_WORKER_RUNTIME',
  // The RFQ intake's queue and topic names, provisioned ahead of the Service Bus functions that will read them.
  'SERVICEBUS_RFQ_QUEUE',
  'SERVICEBUS_EVENTS_TOPIC',
]);
/** Read by the local host, not the app (README rows that are not in the schema). */
const LOCAL_HOST_SETTINGS = new Set(['PORT', 'LOCAL_HOST_LOG_LEVEL', 'LOCAL_WEBPUBSUB_RECOVERY_MS', 'WEBSITE_TIME_ZONE', 'TZ']);

/** Setting name → value text (a Bicep expression, or a quoted literal) of an object literal at `open`. */
function entriesAt(file: BicepFile, open: number): Map<string, string> {
  return new Map(objectEntries(file.scan, open).map((e) => [e.key, file.scan.src.slice(e.value.start, e.value.end).trim()]));
}
const varObject = (file: BicepFile, name: string) => entriesAt(file, file.scan.code.indexOf('{', file.vars.find((v) => v.name === name)!.start));

/** Every app setting the deployment gives the function app, with its Bicep value text. */
function bicepAppSettings(): Map<string, string> {
  const appSettings = MAIN.modules.find((m) => m.path.endsWith('function-app.bicep'))!.params.get('appSettings')!;
  expect(appSettings, 'main.bicep passes appSettings as union(openAiSettings, { ... })').toMatch(/^union\(openAiSettings,\s*\{/);
  const literal = MAIN.scan.code.indexOf('{', MAIN.scan.src.indexOf('appSettings: union(openAiSettings,'));
  return new Map([...varObject(MAIN, 'openAiSettings'), ...entriesAt(MAIN, literal), ...varObject(FUNCTION_APP, 'identitySettings'), ...varObject(FUNCTION_APP, 'userAssignedSettings')]);
}

/** What each Bicep expression resolves to at deployment, in the form the real value has. */
const DEPLOYED_VALUES: Record<string, string> = {
  'storage.name': 'stabc123',
  'cosmos.outputs.endpoint': 'https://cosmos-abc123.documents.azure.com:443/',
  'cosmos.outputs.databaseName': 'marketplace',
  'webPubSub.outputs.endpoint': 'https://wps-abc123.webpubsub.azure.com',
  webPubSubHubName: 'marketplace',
  'tenant().tenantId': '72f988bf-86f1-41af-91ab-2d7cd011db47',
  webPubSubEventAudience: 'https://webpubsub.azure.com',
  'webPubSub.outputs.principalId': '0b5c3f7e-9a2d-4e61-8c4b-7d1e2f3a4b5c',
  'keyVault.outputs.uri': 'https://kv-abc123.vault.azure.net/',
  'storage.outputs.dataContainerName': 'app-data',
  'serviceBus.outputs.rfqQueueName': 'rfq-events',
  'serviceBus.outputs.eventsTopicName': 'marketplace-events',
  userAssignedIdentityClientId: '5b0a9c6e-2f1d-4e3c-8a7b-6c5d4e3f2a10',
  openAiEndpoint: 'https://my-openai.openai.azure.com/',
  openAiEmbeddingDeployment: 'text-embedding-3-small',
  openAiChatDeployment: 'gpt-4o-mini',
  serviceBusFullyQualifiedNamespace: 'sb-abc123.servicebus.windows.net',
  'appInsights.properties.ConnectionString': 'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/',
};

function deployedSettings(): Record<string, string> {
  return Object.fromEntries(
    [...bicepAppSettings()].map(([name, text]) => {
      const literal = /^'([^'$]*)'$/.exec(text)?.[1];
      // a user-assigned identity's settings; conditional values take the user-assigned branch
      const value =
        literal ?? DEPLOYED_VALUES[text] ?? DEPLOYED_VALUES[/^isUserAssigned \? '([^']*)'/.exec(text)?.[1] ?? ''] ?? (text.startsWith('isUserAssigned ?') ? 'ClientId=x;Authorization=AAD' : undefined);
      expect(value, `a deployed value for ${name}: ${text}`).toBeDefined();
      return [name, value!];
    }),
  );
}

/** The setting names in the first column of the README's configuration table (`A` / `B`, and `A_X`, `_Y` for A_Y). */
function readmeSettings(): Set<string> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1));
  const names = new Set<string>();
  for (const row of section.split('\n').filter((line) => /^\| `/.test(line))) {
    const first = row.split('|')[1]!;
    let prefix = '';
    for (const [, name] of first.matchAll(/`([^`]+)`/g)) {
      if (name!.startsWith('_')) names.add(prefix + name!.slice(1));
      else {
        names.add(name!);
        prefix = name!.slice(0, name!.lastIndexOf('_') + 1);
      }
    }
  }
  return names;
}

describe('app settings: Bicep, the schema, local.settings.example.json and the README agree', () => {
  it('Bicep sets only settings the app or the Functions runtime reads', () => {
    const unknown = [...bicepAppSettings().keys()].filter((name) => !SETTING_NAMES.includes(name) && !RUNTIME_SETTINGS.has(name));
    expect(unknown).toEqual([]);
  });

  it('what Bicep sets starts the app in Azure mode with every Azure adapter on: Cosmos DB, Key Vault, identity-based Blob, the user-assigned identity, Azure OpenAI and Web PubSub with Entra ID', () => {
    const config = loadConfig(deployedSettings());
    expect(config.env).toBe('azure');
    expect(config.azureIdentity).toEqual({ clientId: DEPLOYED_VALUES.userAssignedIdentityClientId });
    expect(config.store).toMatchObject({ kind: 'cosmos', endpoint: DEPLOYED_VALUES['cosmos.outputs.endpoint'], database: 'marketplace' });
    expect(config.store).not.toHaveProperty('key', expect.anything());
    expect(config.identity.keys).toEqual({ kind: 'keyVault', vaultUri: DEPLOYED_VALUES['keyVault.outputs.uri'], secretName: 'identity-keys' });
    expect(config.storage).toEqual({ kind: 'identity', blobServiceUri: 'https://stabc123.blob.core.windows.net' });
    expect(config.openAi).toMatchObject({ endpoint: DEPLOYED_VALUES.openAiEndpoint, embeddingDeployment: 'text-embedding-3-small' });
    expect(config.realtime).toEqual({
      connection: {
        kind: 'identity',
        endpoint: DEPLOYED_VALUES['webPubSub.outputs.endpoint'],
        events: { tenantId: DEPLOYED_VALUES['tenant().tenantId'], audience: 'https://webpubsub.azure.com', principalId: DEPLOYED_VALUES['webPubSub.outputs.principalId'] },
      },
      hub: 'marketplace',
      leaseSeconds: 60,
    });
  });

  it("the Web PubSub settings are the service's outputs, and the hub's event handler uses the audience the app checks", () => {
    const settings = bicepAppSettings();
    expect(settings.get('WEBPUBSUB_ENDPOINT')).toBe('webPubSub.outputs.endpoint');
    expect(settings.get('WEBPUBSUB_EVENT_PRINCIPAL_ID')).toBe('webPubSub.outputs.principalId');
    expect(settings.get('WEBPUBSUB_EVENT_TENANT_ID')).toBe('tenant().tenantId');
    expect(settings.has('WebPubSubConnectionString')).toBe(false);
    const hub = MAIN.modules.find((m) => m.path.endsWith('web-pubsub-hub.bicep'))!;
    expect(hub.params.get('eventAudience')).toBe(settings.get('WEBPUBSUB_EVENT_AUDIENCE'));
    expect(hub.params.get('hubName')).toBe(settings.get('WEBPUBSUB_HUB'));
  });

  it('local.settings.example.json holds only settings the app or the runtime reads, and they load', () => {
    const { Values } = JSON.parse(readFileSync(join(ROOT, 'local.settings.example.json'), 'utf8')) as { Values: Record<string, string> };
    expect(Object.keys(Values).filter((name) => !SETTING_NAMES.includes(name) && !RUNTIME_SETTINGS.has(name))).toEqual([]);
    expect(loadConfig(Values).env).toBe('local');
  });

  it("the README's configuration table documents every setting the app reads, and only real ones", () => {
    const documented = readmeSettings();
    expect(SETTING_NAMES.filter((name) => !documented.has(name))).toEqual([]);
    expect([...documented].filter((name) => !SETTING_NAMES.includes(name) && !RUNTIME_SETTINGS.has(name) && !LOCAL_HOST_SETTINGS.has(name))).toEqual([]);
  });
});
