import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, startHost, tempDir, waitFor, type RunningHost } from '../helpers/host-process';

// Service Bus SDK-type bindings (`sdkBinding: true`) through the local host: the message arrives as
// model binding data (lock token + AMQP message), and the function settles it through the host's
// Settlement gRPC service, as in Azure with @azure/functions-extensions-servicebus.

const app = path.join(projectRoot, 'tests/fixtures/sdk-binding-app');

interface Seen {
  id: string;
  messageId: string;
  deliveryCount: number;
  lockToken: string;
  applicationProperties: Record<string, unknown>;
  contentType?: string;
  second?: string;
}

describe('Service Bus SDK-type bindings', () => {
  let host: RunningHost;
  let eventsFile: string;

  beforeAll(async () => {
    const dataDir = tempDir();
    eventsFile = path.join(dataDir, 'events.jsonl');
    host = await startHost({ app, dataDir, args: ['--no-azurite'], env: { FIXTURE_EVENTS_FILE: eventsFile } });
  });
  afterAll(async () => {
    await host?.stop();
  });

  const seen = (id: string): Seen[] =>
    (existsSync(eventsFile) ? readFileSync(eventsFile, 'utf8').trim().split('\n').filter(Boolean) : []).map((line) => JSON.parse(line) as Seen).filter((event) => event.id === id);

  const send = (order: Record<string, unknown>, headers: Record<string, string> = {}) =>
    fetch(`${host.baseUrl}/admin/servicebus/settle/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(order) });

  const deadLetters = async () =>
    (await (await fetch(`${host.baseUrl}/admin/servicebus/settle/deadletter`)).json()) as {
      messageId: string;
      deadLetterReason: string;
      deadLetterErrorDescription: string;
      deliveryCount: number;
      body: string;
    }[];
  const counts = async () =>
    ((await (await fetch(`${host.baseUrl}/admin/servicebus`)).json()) as { path: string; active: number; locked: number; deadLetter: number }[]).find((entity) => entity.path === 'settle')!;

  it('hands the function the message with its broker properties, and dead-letters it at once with the reason and description it gives', async () => {
    const order = { id: 'dl-1', action: 'deadletter', reason: 'ValidationFailed', description: 'Invalid fields: data.title (Required)' };
    expect((await send(order, { BrokerProperties: JSON.stringify({ MessageId: 'msg-dl-1' }), Priority: 'high' })).status).toBe(201);
    const letter = await waitFor(async () => (await deadLetters()).find((item) => item.messageId === 'msg-dl-1'), 10_000, 'the dead letter');
    expect(letter).toMatchObject({ deadLetterReason: 'ValidationFailed', deadLetterErrorDescription: 'Invalid fields: data.title (Required)', deliveryCount: 1, body: JSON.stringify(order) });
    expect(seen('dl-1')).toEqual([
      {
        id: 'dl-1',
        messageId: 'msg-dl-1',
        deliveryCount: 1,
        lockToken: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
        applicationProperties: { Priority: 'high' },
        contentType: 'application/json',
      },
    ]);
  });

  it('a message the function completes is gone; completing it again is refused by the host', async () => {
    await send({ id: 'twice-1', action: 'twice' });
    const [event] = await waitFor(async () => (seen('twice-1').length ? seen('twice-1') : undefined));
    expect(event!.second).toMatch(/gRPC status 9\): No unsettled message holds lock/);
    await waitFor(async () => ((await counts()).active === 0 && (await counts()).locked === 0) || undefined, 10_000, 'the queue to empty');
    expect((await deadLetters()).map((item) => JSON.parse(item.body).id)).not.toContain('twice-1');
  });

  it('a function that throws without settling has its message abandoned, redelivered, and dead-lettered after maxDeliveryCount', async () => {
    await send({ id: 'throws-1', action: 'throw' }, { BrokerProperties: JSON.stringify({ MessageId: 'msg-throws-1' }) });
    const letter = await waitFor(async () => (await deadLetters()).find((item) => item.messageId === 'msg-throws-1'), 15_000, 'the exhausted message');
    expect(letter).toMatchObject({ deadLetterReason: 'MaxDeliveryCountExceeded', deliveryCount: 3 });
    expect(seen('throws-1').map((event) => event.deliveryCount)).toEqual([1, 2, 3]);
  });
});
