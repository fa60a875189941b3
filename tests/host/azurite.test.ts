import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { BlockBlobClient } from '@azure/storage-blob';
import { afterEach, describe, expect, it } from 'vitest';
import { Azurite } from '../../shared/local-host/azurite';
import { projectRoot, startHost, tempDir, waitFor, type RunningHost } from '../helpers/host-process';

// The Azurite the host starts for AzureWebJobsStorage, seen through an app that hands out SAS URLs.
const app = path.join(projectRoot, 'tests/fixtures/blob-app');
const hosts: RunningHost[] = [];

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.stop('SIGKILL')));
});

async function start(dataDir: string, detached = false): Promise<RunningHost> {
  const host = await startHost({ app, dataDir, detached });
  hosts.push(host);
  return host;
}

/** Whether something answers HTTP on the port, and which Azurite service says it is (its Server header). */
const serverOn = (port: number) =>
  fetch(`http://127.0.0.1:${port}/devstoreaccount1?comp=list`).then(
    (response) => response.headers.get('server') ?? '',
    () => undefined,
  );

async function sasUrl(host: RunningHost, blob: string): Promise<string> {
  const response = await fetch(`${host.baseUrl}/api/blob-url/${blob}`, { method: 'POST' });
  expect(response.status).toBe(200);
  return ((await response.json()) as { url: string }).url;
}

describe("the host's Azurite", () => {
  it('keeps uploads acknowledged just before the host process group is killed with SIGKILL', async () => {
    const dataDir = tempDir();
    const first = await start(dataDir, true);
    const single = randomBytes(300 * 1024);
    const blocks = randomBytes(300 * 1024);
    // A browser's one-shot PUT to a SAS URL, and the SDK's staged blocks committed as a list.
    const put = await fetch(await sasUrl(first, 'single.bin'), { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body: single });
    expect(put.status).toBe(201);
    const firstUrl = await sasUrl(first, 'blocks.bin');
    await new BlockBlobClient(firstUrl).uploadData(blocks, { blockSize: 64 * 1024, maxSingleShotSize: 64 * 1024, concurrency: 2 });

    await first.stop('SIGKILL');
    // Azurite went with its group: its port no longer answers.
    await waitFor(
      () =>
        fetch(firstUrl).then(
          () => false,
          () => true,
        ),
      10_000,
      'the killed Azurite to close its port',
    );

    const second = await start(dataDir);
    for (const [blob, bytes] of [
      ['single.bin', single],
      ['blocks.bin', blocks],
    ] as const) {
      const response = await fetch(await sasUrl(second, blob));
      expect(response.status).toBe(200);
      expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
    }
  });

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
