import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
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

/** The launcher around Azurite's CLI; see the file (plain CommonJS, so it runs from source and from dist). */
const launcher = path.join(__dirname, 'azurite-process.cjs');

/**
 * The storage emulator the host starts for `AzureWebJobsStorage`, data under the data dir. Azurite
 * binds port 0 for each service and reports the ports it got, so no port is chosen before it is
 * bound (probing for free ports first raced with other processes and with itself).
 */
export class Azurite {
  private child: ChildProcess | undefined;

  constructor(private readonly dataDir: string) {}

  async start(timeoutMs = 15_000): Promise<AzuriteEndpoints> {
    const location = path.join(this.dataDir, 'azurite');
    mkdirSync(location, { recursive: true });
    const args = ['--silent', '--disableTelemetry', '--skipApiVersionCheck', '--loose', '--location', location, '--blobPort', '0', '--queuePort', '0', '--tablePort', '0'];
    const child = fork(launcher, args, { execArgv: [], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    this.child = child;
    const ports = await new Promise<Record<string, number>>((resolve, reject) => {
      let output = '';
      const ports: Record<string, number> = {};
      const timer = setTimeout(() => reject(new Error(`Azurite did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        // One line per service once it listens, with the address it bound.
        for (const [, service, port] of output.matchAll(/Azurite (Blob|Queue|Table) service is successfully listening at \S+:(\d+)/g)) ports[service!] = Number(port);
        if (Object.keys(ports).length === 3) {
          clearTimeout(timer);
          resolve(ports);
        }
      });
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`Azurite exited with code ${code} before it was ready:\n${output}`));
      });
    });
    child.removeAllListeners('exit');
    const [blobPort, queuePort, tablePort] = [ports.Blob!, ports.Queue!, ports.Table!];
    const host = 'http://127.0.0.1';
    return {
      blobPort,
      queuePort,
      tablePort,
      connectionString:
        `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};` +
        `BlobEndpoint=${host}:${blobPort}/${DEV_ACCOUNT};QueueEndpoint=${host}:${queuePort}/${DEV_ACCOUNT};` +
        `TableEndpoint=${host}:${tablePort}/${DEV_ACCOUNT};`,
    };
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
