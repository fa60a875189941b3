import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runHostExpectingFailure, startHost, tempDir, type RunningHost } from '../helpers/host-process';

function appWith(settings: Record<string, unknown>): string {
  const dir = tempDir('fx-wps-app-');
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'wps-settings', main: 'src/index.js' }));
  writeFileSync(path.join(dir, 'src/index.js'), '// no functions\n');
  writeFileSync(path.join(dir, 'local.settings.json'), JSON.stringify({ IsEncrypted: false, Values: {}, ...settings }));
  return dir;
}

describe('local Web PubSub service settings', () => {
  let host: RunningHost | undefined;
  afterAll(async () => {
    await host?.stop();
  });

  it('is not started when the app already has WebPubSubConnectionString', async () => {
    const connectionString = 'Endpoint=https://example.webpubsub.azure.com;AccessKey=a2V5;Version=1.0;';
    host = await startHost({ app: appWith({}), args: ['--no-azurite'], env: { WebPubSubConnectionString: connectionString } });
    expect((await fetch(`${host.baseUrl}/admin/webpubsub`)).status).toBe(404);
    expect(host.output()).not.toContain('Web PubSub:');
  });

  it('stops the host with a message naming a hub whose event handler settings are wrong', async () => {
    const app = appWith({ LocalWebPubSub: { hubs: { chat: { eventHandlers: [{ urlTemplate: '/x', systemEvents: ['opened'] }] } } } });
    const { code, output } = await runHostExpectingFailure(app);
    expect(code).not.toBe(0);
    expect(output).toContain('LocalWebPubSub.hubs.chat: eventHandlers.0.systemEvents.0');
  });
});
