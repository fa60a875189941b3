import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir, type RunningHost } from '../helpers/host-process';
import { ADMIN, api, login, mailsTo, registerUser, startIdentityHost, type Api } from '../helpers/identity';

// The admin's view of the outbox through the host: a mail provider that fails (the local mail
// directory is a file, so nothing can be written under it) parks messages as dead after one
// attempt; an admin lists them, without their text, and retries one once the provider is back.

let host: RunningHost;
let client: Api;
let adminToken: string;
const dataDir = tempDir();
const mailDir = path.join(dataDir, 'outbox');

beforeAll(async () => {
  writeFileSync(mailDir, 'not a directory');
  host = await startIdentityHost({ OUTBOX_MAX_ATTEMPTS: '1' }, { dataDir });
  client = api(host);
  adminToken = (await login(client, ADMIN.email, ADMIN.password)).accessToken;
});
afterAll(async () => {
  await host?.stop();
});

const deadFor = async (email: string) => {
  const page = await client.call('GET', 'v1/admin/outbox?status=dead&limit=100', { token: adminToken });
  expect(page.status).toBe(200);
  return (page.body.items as { id: string; to: string; subject: string; cause: string }[]).filter((item) => item.to === `${email[0]}***@e***.com` && item.subject === 'Confirm your email address');
};

describe('admin outbox', () => {
  it('lists dead messages page by page with masked addresses and no text, and retries one by hand exactly once', async () => {
    const jane = await registerUser(client, 'expert', `jane${Date.now()}@example.com`);
    const kim = await registerUser(client, 'client', `kim${Date.now()}@example.com`);
    const [dead] = await deadFor(jane.email);
    expect(dead).toMatchObject({
      channel: 'email',
      status: 'dead',
      attempts: 1,
      nextAttemptAt: null,
      cause: expect.stringMatching(/^verify-email:/),
      lastError: expect.stringMatching(/E(NOTDIR|EXIST)/),
    });

    const first = await client.call('GET', 'v1/admin/outbox?status=dead&limit=1', { token: adminToken });
    expect(first.body.items).toHaveLength(1);
    const second = await client.call('GET', `v1/admin/outbox?status=dead&limit=1&cursor=${first.body.nextCursor}`, { token: adminToken });
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
    const everything = JSON.stringify((await client.call('GET', 'v1/admin/outbox?limit=100', { token: adminToken })).body);
    expect(everything).not.toContain(jane.email);
    expect(everything).not.toContain(kim.email);
    expect(everything).not.toContain('verify-email?token=');

    rmSync(mailDir); // the provider is back
    const retried = await client.call('POST', `v1/admin/outbox/${dead!.id}/retry`, { token: adminToken, headers: { 'idempotency-key': 'retry-jane-1' } });
    expect(retried.status).toBe(200);
    const replayed = await client.call('POST', `v1/admin/outbox/${dead!.id}/retry`, { token: adminToken, headers: { 'idempotency-key': 'retry-jane-1' } });
    expect(replayed).toMatchObject({ status: 200, body: retried.body });
    expect(replayed.headers.get('idempotency-replayed')).toBe('true');
    expect(retried.body).toMatchObject({ id: dead!.id, status: 'sent', attempts: 1, deadAt: null, receipt: { provider: 'file' } });
    expect(mailsTo(host, jane.email).map((mail) => mail.subject)).toEqual(['Confirm your email address']);
    expect(mailsTo(host, kim.email)).toEqual([]); // only the one retried

    const again = await client.call('POST', `v1/admin/outbox/${dead!.id}/retry`, { token: adminToken });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(mailsTo(host, jane.email)).toHaveLength(1);
    expect(await deadFor(jane.email)).toEqual([]);
    expect(await deadFor(kim.email)).toHaveLength(1);
  });

  it('is for admins only', async () => {
    const expert = await registerUser(client, 'expert');
    expect((await client.call('GET', 'v1/admin/outbox?status=dead', { token: expert.accessToken })).status).toBe(403);
    expect((await client.call('POST', 'v1/admin/outbox/00000000-0000-4000-8000-000000000000/retry', { token: expert.accessToken })).status).toBe(403);
    expect((await client.call('GET', 'v1/admin/outbox')).status).toBe(401);
  });

  it('answers bad input with a 400 naming the field, and an unknown message with a 404', async () => {
    const status = await client.call('GET', 'v1/admin/outbox?status=stuck', { token: adminToken });
    expect(status.status).toBe(400);
    expect(status.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(status.body.errors.map((e: { field: string }) => e.field)).toEqual(['query.status']);
    const limit = await client.call('GET', 'v1/admin/outbox?limit=0', { token: adminToken });
    expect(limit.body.errors.map((e: { field: string }) => e.field)).toEqual(['query.limit']);
    const cursor = await client.call('GET', 'v1/admin/outbox?cursor=%7Bnot-a-cursor', { token: adminToken });
    expect(cursor.status).toBe(400);
    const id = await client.call('POST', 'v1/admin/outbox/not-an-id/retry', { token: adminToken });
    expect(id.status).toBe(400);
    expect(id.body.errors.map((e: { field: string }) => e.field)).toEqual(['params.id']);
    const unknown = await client.call('POST', 'v1/admin/outbox/00000000-0000-4000-8000-000000000000/retry', { token: adminToken });
    expect(unknown.status).toBe(404);
  });

  it('documents both operations in the OpenAPI document with the admin policy', async () => {
    const document = await (await fetch(`${host.baseUrl}/api/openapi.json`)).json();
    expect(document.paths['/v1/admin/outbox'].get).toMatchObject({ operationId: 'adminListOutbox', 'x-auth-policy': { kind: 'roles', roles: ['admin'] } });
    expect(document.paths['/v1/admin/outbox/{id}/retry'].post).toMatchObject({ operationId: 'adminRetryOutbox', 'x-auth-policy': { kind: 'roles', roles: ['admin'] } });
  });
});
