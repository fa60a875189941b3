// npm run bench:webpubsub: broadcast through the local Web PubSub service started by the local host.
//   CLIENTS (1,000) WebSockets on json.webpubsub.azure.v1 join one hub; the genuine
//   WebPubSubServiceClient broadcasts. Latency: BROADCASTS paced broadcasts, each carrying its send
//   time, measured at every client (p50/p99 of all deliveries). Throughput: BURST broadcasts sent
//   back to back, deliveries per second until the last client has all of them.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebPubSubServiceClient } from '@azure/web-pubsub';
import { WebSocket } from 'ws';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const clients = Number(process.env.CLIENTS ?? 1000);
const broadcasts = Number(process.env.BROADCASTS ?? 100);
const burst = Number(process.env.BURST ?? 100);

const host = spawn(
  process.execPath,
  [path.join(root, 'shared/local-host/dist/cli.js'), '--app', path.join(root, 'bench/app'), '--port', '0', '--no-azurite', '--data-dir', mkdtempSync(path.join(tmpdir(), 'fx-wps-bench-'))],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, LOCAL_HOST_LOG_LEVEL: 'warning' },
  },
);
const baseUrl = await new Promise((resolve, reject) => {
  let output = '';
  host.stdout.on('data', (chunk) => {
    output += chunk;
    const match = /Host status: (http:\/\/[^/\s]+)\//.exec(output);
    if (match) resolve(match[1]);
  });
  host.once('exit', (code) => reject(new Error(`host exited ${code}: ${output}`)));
});
const { connectionString } = await (await fetch(`${baseUrl}/admin/webpubsub`)).json();
const service = new WebPubSubServiceClient(connectionString, 'bench', { allowInsecureConnection: true });
const { url } = await service.getClientAccessToken({ expirationTimeInMinutes: 60 });

const latencies = [];
let delivered = 0;
const sockets = [];
for (let i = 0; i < clients; i += 100) {
  await Promise.all(
    Array.from(
      { length: Math.min(100, clients - i) },
      () =>
        new Promise((resolve, reject) => {
          const socket = new WebSocket(url, 'json.webpubsub.azure.v1');
          socket.on('message', (data) => {
            const message = JSON.parse(data.toString());
            if (message.type !== 'message') return;
            delivered++;
            if (message.data.paced) latencies.push(performance.timeOrigin + performance.now() - message.data.sentAt);
          });
          socket.once('open', resolve);
          socket.once('error', reject);
          sockets.push(socket);
        }),
    ),
  );
}
const waitForDeliveries = async (count) => {
  while (delivered < count) await new Promise((resolve) => setTimeout(resolve, 5));
};

for (let i = 0; i < broadcasts; i++) {
  await service.sendToAll({ paced: true, sentAt: performance.timeOrigin + performance.now() });
  await waitForDeliveries((i + 1) * clients);
}
const started = performance.now();
await Promise.all(Array.from({ length: burst }, (_, i) => service.sendToAll({ burst: i })));
await waitForDeliveries((broadcasts + burst) * clients);
const seconds = (performance.now() - started) / 1000;

latencies.sort((a, b) => a - b);
const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(1);
console.log(`clients ${clients}; paced broadcasts ${broadcasts}: delivery latency p50 ${at(0.5)} ms, p99 ${at(0.99)} ms`);
console.log(`burst of ${burst} broadcasts: ${Math.round((burst * clients) / seconds)} messages/s delivered (${seconds.toFixed(2)} s)`);
for (const socket of sockets) socket.terminate();
host.kill('SIGTERM');
