#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { LocalHost } from './local-host';

const usage = `Usage: local-host --app <dir-or-entry-file> [--port 7071] [--host 127.0.0.1] [--data-dir <dir>] [--settings <file>] [--no-azurite] [--log-level information]

Runs an Azure Functions v4 Node.js app (ESM or CommonJS) without the Functions runtime:
HTTP, timer and Service Bus triggers, with Azurite for AzureWebJobsStorage and a local Web PubSub
service for WebPubSubConnectionString.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      app: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      settings: { type: 'string' },
      'no-azurite': { type: 'boolean' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.app) {
    console.log(usage);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const port = Number(values.port ?? process.env.PORT ?? 7071);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got "${values.port}"`);
  const host = new LocalHost({
    app: values.app,
    port,
    hostname: values.host,
    dataDir: values['data-dir'],
    settings: values.settings,
    azurite: !values['no-azurite'],
    logLevel: values['log-level'],
  });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    host.logger.info(`${signal} received: draining in-flight work and stopping.`);
    void host.stop().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  const started = performance.now();
  await host.start();
  console.log(`\nFunctions:\n\n${host.describeFunctions().join('\n')}\n`);
  console.log(`Host status: ${host.baseUrl}/admin/host/status (ready in ${Math.round(performance.now() - started)} ms, data in ${host.dataDir})`);
}

main().catch((error: Error) => {
  console.error(`\nThe local host could not start: ${error.message}`);
  process.exit(1);
});
