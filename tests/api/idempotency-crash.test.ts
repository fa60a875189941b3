import { afterEach, describe, expect, it } from 'vitest';
import type { SqliteDocumentStore } from '../../shared/adapters/document-store/sqlite/sqlite-document-store';
import { idempotencyKeys } from '../../shared/http/containers';
import type { IdempotencyRecord } from '../../shared/http/idempotency';
import { openHostStore } from '../helpers/expert-profiles';
import { abandonClaim } from '../helpers/idempotency';
import { projectRoot, startHost, tempDir, waitFor, type RunningHost } from '../helpers/host-process';
import { ADMIN, IDENTITY_TEST_ENV, api, login, registerUser, type Api } from '../helpers/identity';

// Idempotent creates across a crash: the host is killed (SIGKILL) in the middle of a burst and
// started again on the same data dir, and every request is retried with its key. With
// --no-azurite the host starts no child process, so killing it kills everything it ran (an
// Azurite child would outlive the kill: its exit hook never runs, and it shares the test's
// process group, so the group cannot be killed instead).
const LEASE_SECONDS = 5;
const MARGIN_MS = 5_000;
// Retries poll without waiting for Retry-After, so the write limit must not be what stops them.
const env = { ...IDENTITY_TEST_ENV, IDEMPOTENCY_LEASE_SECONDS: String(LEASE_SECONDS), RATE_LIMIT_WRITE: '999999/60' };

const hosts: RunningHost[] = [];
const stores: SqliteDocumentStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
  await Promise.all(hosts.splice(0).map((host) => host.stop()));
});

async function start(dataDir: string): Promise<{ host: RunningHost; client: Api }> {
  const host = await startHost({ app: projectRoot, dataDir, args: ['--no-azurite'], env });
  hosts.push(host);
  return { host, client: api(host) };
}

async function storeOf(host: RunningHost) {
  const store = openHostStore(host);
  stores.push(store);
  return store;
}

const service = (title: string) => ({
  title,
  description: 'A review of your HACCP plan with a written list of corrections.',
  specializationId: 'haccp',
  pricing: { model: 'fixed', price: 900 },
  currency: 'USD',
  deliveryDays: 7,
  deliverables: ['Corrections list'],
});

interface Write {
  token: string;
  key: string;
  body: { title: string; [field: string]: unknown };
}

const post = (client: Api, route: string, write: Write) => client.call('POST', route, { token: write.token, body: write.body, headers: { 'idempotency-key': write.key } });
const createService = (client: Api, write: Write) => post(client, 'v1/experts/services', write);
const sendNotification = (client: Api, write: Write) => post(client, 'v1/notifications', write);

/** One page of up to 100 (each user here has fewer). */
async function listOf(client: Api, route: string, token: string): Promise<{ id: string; title: string }[]> {
  const page = await client.call('GET', `${route}?limit=100`, { token });
  expect(page.body.nextCursor).toBeNull();
  return page.body.items;
}

describe('idempotent creates across a crash of the host', () => {
  // An admin's messages: storing one is followed by a push to Web PubSub over HTTP, so a kill
  // lands in the middle of many runs (a service create on SQLite finishes within one turn of the
  // event loop, so a kill almost never finds one half done).
  it('stores each of 200 messages exactly once when a burst is cut off by kill -9 and every request is retried', async () => {
    const dataDir = tempDir('fx-idem-crash-');
    const first = await start(dataDir);
    const admin = await login(first.client, ADMIN.email, ADMIN.password);
    const users = await Promise.all(Array.from({ length: 8 }, () => registerUser(first.client, 'client')));
    const writes: Write[] = Array.from({ length: 200 }, (_, i) => ({
      token: admin.accessToken,
      key: `crash-${i}`,
      body: { userId: users[i % 8]!.user.id, title: `Audit reminder no. ${i}`, body: 'Your HACCP audit is due next week.' },
    }));

    // The burst, and the kill in its middle: once 20 are acknowledged and a run is between its
    // claim and its answer (seen in the host's store, which the test opens beside it).
    const claims = await (await storeOf(first.host)).container<IdempotencyRecord>(idempotencyKeys);
    const running = () => claims.count({ where: { field: 'state', op: 'eq', value: 'in_progress' } });
    const acknowledged = new Map<string, { id: string }>();
    const burst = Promise.all(
      writes.map(async (write) => {
        const answer = await sendNotification(first.client, write).catch(() => undefined); // cut off by the kill
        if (answer?.status === 201) acknowledged.set(write.key, answer.body);
      }),
    );
    let killed: Promise<number | null> | undefined;
    await waitFor(
      async () => {
        if (acknowledged.size < 20 || (await running()) === 0) return undefined;
        killed = first.host.stop('SIGKILL');
        return true;
      },
      20_000,
      'a run in flight to kill the host under',
    );
    expect(await killed).toBeNull(); // ended by the signal, not an exit
    await burst;
    expect(acknowledged.size).toBeLessThan(200);
    expect(await running()).toBeGreaterThan(0); // keys the crash left claimed: the case under test

    const second = await start(dataDir);
    const restarted = Date.now();
    const unlockedAfter: number[] = [];
    const retries = await Promise.all(
      writes.map(async (write) => {
        const answer = await waitFor(
          async () => {
            const response = await sendNotification(second.client, write);
            if (response.status !== 409) return response;
            expect(Number(response.headers.get('retry-after'))).toBeLessThanOrEqual(LEASE_SECONDS);
            return undefined;
          },
          LEASE_SECONDS * 1000 + MARGIN_MS,
          `key ${write.key} to be free`,
        );
        unlockedAfter.push(Date.now() - restarted);
        return { write, answer };
      }),
    );
    expect(Math.max(...unlockedAfter)).toBeLessThanOrEqual(LEASE_SECONDS * 1000 + MARGIN_MS);

    for (const { write, answer } of retries) {
      expect(answer.status, `${write.key}: ${JSON.stringify(answer.body)}`).toBe(201);
      expect(answer.body.title).toBe(write.body.title);
      // An acknowledged one is replayed as it was; the others were stored now or found stored.
      const before = acknowledged.get(write.key);
      if (before) {
        expect(answer.body).toEqual(before);
        expect(answer.headers.get('idempotency-replayed')).toBe('true');
      }
    }

    // Exactly one message per request in the inboxes: none doubled, none missing.
    const stored = (await Promise.all(users.map((user) => listOf(second.client, 'v1/notifications', user.accessToken)))).flat();
    expect(stored.map((item) => item.title).sort()).toEqual(writes.map((write) => write.body.title).sort());
    expect(new Set(stored.map((item) => item.id))).toEqual(new Set(retries.map(({ answer }) => answer.body.id)));
  }, 120_000);

  it('finds the service instead of creating a second when the host died between creating it and remembering the answer', async () => {
    const { host, client } = await start(tempDir('fx-idem-crash-'));
    const expert = await registerUser(client, 'expert');
    const write = { token: expert.accessToken, key: 'between', body: service('FSMA gap assessment') };
    const created = await createService(client, write);
    expect(created.status).toBe(201);

    await abandonClaim(host, created.body.id);

    const retry = await createService(client, write);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotency-replayed')).toBeNull(); // run again, by the takeover
    expect(retry.body).toEqual(created.body);
    expect(await listOf(client, 'v1/experts/services', expert.accessToken)).toEqual([created.body]);
    expect((await createService(client, write)).headers.get('idempotency-replayed')).toBe('true');
  });
});
