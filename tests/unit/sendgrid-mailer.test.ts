import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sendgrid from '@sendgrid/mail';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SendGridMailer } from '../../shared/adapters/mail/sendgrid';

// The SendGrid adapter through the genuine SDK, its base URL pointed at a loopback server that
// answers as the v3 Mail Send API does (no SendGrid account here).
let server: Server;
let baseUrl: string;
let answer: { status: number; headers?: Record<string, string>; body?: string };
const received: { url: string; authorization: string | undefined; body: any }[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push({ url: request.url!, authorization: request.headers.authorization, body: JSON.parse(body) });
      response.writeHead(answer.status, answer.headers).end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function mailer() {
  const adapter = new SendGridMailer('SG.test-key', 'no-reply@foodxchange.dev');
  (sendgrid as unknown as { client: { setDefaultRequest(key: string, value: string): void } }).client.setDefaultRequest('baseUrl', baseUrl);
  return adapter;
}

describe('SendGridMailer', () => {
  it("sends with the outbox id as a custom arg and answers with SendGrid's X-Message-Id", async () => {
    answer = { status: 202, headers: { 'x-message-id': 'Dr4Ff1pWRUKXSGBgs1tG_w' } };
    const receipt = await mailer().send({ to: 'jane.doe@example.com', subject: 'You are verified', text: 'Your profile now carries the verified badge.' }, 'd0f631ca-1ddb-88db-bbcf-cb9e057cdc98');
    expect(receipt).toEqual({ provider: 'sendgrid', messageId: 'Dr4Ff1pWRUKXSGBgs1tG_w', status: '202' });
    expect(received.at(-1)).toMatchObject({
      url: '/v3/mail/send',
      authorization: 'Bearer SG.test-key',
      body: {
        from: { email: 'no-reply@foodxchange.dev' },
        subject: 'You are verified',
        custom_args: { outboxId: 'd0f631ca-1ddb-88db-bbcf-cb9e057cdc98' },
        personalizations: [{ to: [{ email: 'jane.doe@example.com' }] }],
      },
    });
  });

  it('fails when SendGrid refuses the message, so the outbox retries it', async () => {
    answer = { status: 401, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ errors: [{ message: 'The provided authorization grant is invalid, expired, or revoked' }] }) };
    await expect(mailer().send({ to: 'jane.doe@example.com', subject: 's', text: 't' }, 'id')).rejects.toThrow(/Unauthorized/);
  });
});
