import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Azurite } from '../../shared/local-host/azurite';
import { projectRoot, startHost, tempDir, waitFor, type RunningHost } from '../helpers/host-process';

// The Azurite the host starts for AzureWebJobsStorage, seen through an app that hands out SAS URLs.
const app = path.join(projectRoot, 'tests/fixtures/blob-app');
const hosts: RunningHost[] = [];

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.stop('SIGKILL')));
});

async function start(dataDir: string): Promise<RunningHost> {
  const host = await startHost({ app, dataDir });
  hosts.push(host);
  return host;
}

/** Whether something answers HTTP on the port, and which Azurite service says it is (its Server header). */
const serverOn = (port: number) => fetch(`http://127.0.0.1:${port}/devstoreaccount1?comp=list`).then((response) => response.headers.get('server') ?? '', () => undefined);

describe("the host's Azurite", () => {
  it('lets each Azurite bind its own ports: several started at once get distinct ports, served by them and freed when they stop', async () => {
    const instances = Array.from({ length: 4 }, () => new Azurite(tempDir('fx-azurite-')));
    try {
      const endpoints = await Promise.all(instances.map((azurite) => azurite.start()));
      const ports = endpoints.flatMap(({ blobPort, queuePort, tablePort }) => [blobPort, queuePort, tablePort]);
      expect(new Set(ports).size).toBe(12);
      for (const { blobPort, queuePort, tablePort } of endpoints) {
        expect(await serverOn(blobPort)).toMatch(/^Azurite-Blob\//);
        expect(await serverOn(queuePort)).toMatch(/^Azurite-Queue\//);
        expect(await serverOn(tablePort)).toMatch(/^Azurite-Table\//);
      }
      await Promise.all(instances.map((azurite) => azurite.stop()));
      for (const port of ports) expect(await serverOn(port)).toBeUndefined();
    } finally {
      await Promise.all(instances.map((azurite) => azurite.stop()));
    }
  });

  it('does not outlive a host killed with SIGKILL', async () => {
    const host = await start(tempDir());
    const blobPort = Number(/Azurite: blob http:\/\/127\.0\.0\.1:(\d+)/.exec(host.output())![1]);
    expect(await serverOn(blobPort)).toMatch(/^Azurite-Blob\//);
    await host.stop('SIGKILL');
    await waitFor(async () => (await serverOn(blobPort)) === undefined, 10_000, 'Azurite to exit with its host');
  });
});
