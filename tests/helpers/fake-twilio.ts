import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { type LoopbackAnswer, type LoopbackRequest, LoopbackServer } from './loopback-server';

/** A message Twilio accepted, as its recipient receives it. */
export interface TwilioDelivery {
  sid: string;
  from: string;
  to: string;
  body: string;
}

const E164 = /^\+[1-9]\d{6,14}$/;
const MAX_BODY = 1600;

/**
 * A stand-in for Twilio's Messages API (`POST /2010-04-01/Accounts/{AccountSid}/Messages.json`) as
 * its reference documents it: HTTP basic auth with the account SID and auth token (401, code 20003,
 * otherwise), a form-encoded To / From / Body with Twilio's 400 errors (`{ code, message,
 * more_info, status }`) for a missing or invalid number, a channel mismatch, a missing or too long
 * body, and `201 Created` with the Message resource (`SM…` SID, status `queued`). `refuseNext`
 * makes it answer the next requests with a given error, as Twilio does when it throttles.
 */
export class FakeTwilio {
  readonly deliveries: TwilioDelivery[] = [];
  readonly refuseNext: { status: number; code: number; message: string }[] = [];

  private constructor(
    private readonly server: LoopbackServer,
    readonly accountSid: string,
    readonly authToken: string,
  ) {}

  static async start(accountSid: string, authToken: string): Promise<FakeTwilio> {
    let fake: FakeTwilio | undefined;
    const server = await LoopbackServer.start((request) => fake!.handle(request));
    fake = new FakeTwilio(server, accountSid, authToken);
    return fake;
  }

  /**
   * A genuine Twilio client whose requests go to this fake: the SDK's own HTTP client (axios, form
   * encoding, basic auth), with only the API host swapped for the fake's.
   */
  client(authToken = this.authToken): twilio.Twilio {
    const http = new twilio.RequestClient();
    const endpoint = this.server.endpoint;
    const httpClient = { request: (options: { uri: string }) => http.request({ ...options, uri: options.uri.replace('https://api.twilio.com', endpoint) } as never) };
    return twilio(this.accountSid, authToken, { httpClient: httpClient as never });
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  private handle(request: LoopbackRequest): LoopbackAnswer {
    const route = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(request.url.pathname);
    if (request.method !== 'POST' || !route) return failure(404, 20404, 'The requested resource was not found');
    const expected = `Basic ${Buffer.from(`${this.accountSid}:${this.authToken}`).toString('base64')}`;
    if (request.headers.authorization !== expected || route[1] !== this.accountSid) return failure(401, 20003, 'Authenticate');
    const refusal = this.refuseNext.shift();
    if (refusal) return failure(refusal.status, refusal.code, refusal.message);
    const form = new URLSearchParams(request.body.toString('utf8'));
    const [to, from, body] = [form.get('To'), form.get('From'), form.get('Body')];
    if (!to) return failure(400, 21604, "A 'To' phone number is required.");
    if (!from) return failure(400, 21603, "A 'From' phone number is required.");
    if (!body) return failure(400, 21602, 'Message body is required.');
    if (body.length > MAX_BODY) return failure(400, 21617, `The concatenated message body exceeds the ${MAX_BODY} character limit.`);
    const [toChannel, toNumber] = channelAndNumber(to);
    const [fromChannel, fromNumber] = channelAndNumber(from);
    if (!E164.test(toNumber)) return failure(400, 21211, `Invalid 'To' Phone Number: ${to}`);
    if (!E164.test(fromNumber)) return failure(400, 21212, `Invalid From Number (caller ID): ${from}`);
    if (toChannel !== fromChannel) return failure(400, 21910, 'Invalid From and To pair. From and To should be of the same channel');
    const sid = `SM${randomBytes(16).toString('hex')}`;
    this.deliveries.push({ sid, from, to, body });
    const now = new Date().toUTCString().replace('GMT', '+0000');
    return {
      status: 201,
      json: {
        sid,
        account_sid: this.accountSid,
        from,
        to,
        body,
        status: 'queued',
        direction: 'outbound-api',
        api_version: '2010-04-01',
        num_segments: '1',
        num_media: '0',
        date_created: now,
        date_updated: now,
        date_sent: null,
        price: null,
        price_unit: 'USD',
        error_code: null,
        error_message: null,
        messaging_service_sid: null,
        uri: `/2010-04-01/Accounts/${this.accountSid}/Messages/${sid}.json`,
        subresource_uris: { media: `/2010-04-01/Accounts/${this.accountSid}/Messages/${sid}/Media.json` },
      },
    };
  }
}

/** `whatsapp:+1415…` → ['whatsapp', '+1415…']; a bare number is SMS. */
function channelAndNumber(address: string): [string, string] {
  const colon = address.indexOf(':');
  return colon < 0 ? ['sms', address] : [address.slice(0, colon), address.slice(colon + 1)];
}

const failure = (status: number, code: number, message: string): LoopbackAnswer => ({
  status,
  json: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
});
