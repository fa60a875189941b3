import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

/** Azurite's well-known development account (public, documented; not a secret). */
export const DEV_ACCOUNT = 'devstoreaccount1';
export const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuriteEndpoints {
  blobPort: number;
  queuePort: number;
  tablePort: number;
  connectionString: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The storage emulator the host starts for `AzureWebJobsStorage`, on free ports, data under the data dir. */
export class Azurite {
  private child: ChildProcess | undefined;
  private endpoints: AzuriteEndpoints | undefined;

  constructor(private readonly dataDir: string) {}

  /** Picks the ports first, so the app's storage setting is known before Azurite is up. */
  async reserve(): Promise<AzuriteEndpoints> {
    const [blobPort, queuePort, tablePort] = [await freePort(), await freePort(), await freePort()];
    const host = 'http://127.0.0.1';
    this.endpoints = {
      blobPort,
      queuePort,
      tablePort,
      connectionString:
        `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};` +
        `BlobEndpoint=${host}:${blobPort}/${DEV_ACCOUNT};QueueEndpoint=${host}:${queuePort}/${DEV_ACCOUNT};` +
        `TableEndpoint=${host}:${tablePort}/${DEV_ACCOUNT};`,
    };
    return this.endpoints;
  }

  async start(timeoutMs = 15_000): Promise<void> {
    const { blobPort, queuePort, tablePort } = this.endpoints ?? (await this.reserve());
    const location = path.join(this.dataDir, 'azurite');
    mkdirSync(location, { recursive: true });
    const entry = require.resolve('azurite/dist/src/azurite.js');
    const args = [
      entry, '--silent', '--disableTelemetry', '--skipApiVersionCheck', '--loose',
      '--location', location,
      '--blobPort', String(blobPort), '--queuePort', String(queuePort), '--tablePort', String(tablePort),
    ];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    // Azurite must not outlive the process that started it, even when that one dies abruptly.
    const killChild = () => child.kill();
    process.once('exit', killChild);
    child.once('exit', () => process.off('exit', killChild));
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`Azurite did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        // One line per service once it listens: Blob, Queue and Table.
        if ((output.match(/successfully listening/g) ?? []).length >= 3) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`Azurite exited with code ${code} before it was ready:\n${output}`));
      });
    });
    child.removeAllListeners('exit');
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}
