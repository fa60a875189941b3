import { randomBytes } from 'node:crypto';
import { type LoopbackAnswer, type LoopbackRequest, LoopbackServer } from './loopback-server';

/** One recipient's copy of a message SendGrid accepted. */
export interface SendGridDelivery {
  to: string;
  from: string;
  subject: string;
  text: string;
  customArgs: Record<string, string>;
  /** The X-Message-Id the fake answered with. */
  messageId: string;
}

interface SendGridError {
  message: string;
  field: string | null;
  help: string | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * A stand-in for SendGrid's v3 Mail Send API (`POST /v3/mail/send`) as its reference documents
 * it: a bearer API key (401 otherwise), a JSON body whose personalizations, from, subject and
 * content it validates with SendGrid's 400 messages (`{ errors: [{ message, field, help }] }`),
 * and `202 Accepted` with an empty body and an `X-Message-Id` header. Each accepted message is
 * kept once per `to` recipient, as what they would receive. `refuseNext` makes it answer the
 * next requests with a given status and error, as SendGrid does when it is down or throttling.
 */
export class FakeSendGrid {
  readonly deliveries: SendGridDelivery[] = [];
  readonly refuseNext: { status: number; message: string }[] = [];

  private constructor(
    private readonly server: LoopbackServer,
    readonly apiKey: string,
  ) {}

  static async start(apiKey: string): Promise<FakeSendGrid> {
    let fake: FakeSendGrid | undefined;
    const server = await LoopbackServer.start((request) => fake!.handle(request));
    fake = new FakeSendGrid(server, apiKey);
    return fake;
  }

  get baseUrl(): string {
    return this.server.endpoint;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  private handle(request: LoopbackRequest): LoopbackAnswer {
    if (request.method !== 'POST' || request.url.pathname !== '/v3/mail/send') return failure(404, [error('Not found', null)]);
    if (request.headers.authorization !== `Bearer ${this.apiKey}`) return failure(401, [error('The provided authorization grant is invalid, expired, or revoked', null)]);
    const refusal = this.refuseNext.shift();
    if (refusal) return failure(refusal.status, [error(refusal.message, null)]);
    let body: any;
    try {
      body = JSON.parse(request.body.toString('utf8'));
    } catch {
      return failure(400, [error('Bad Request', null)]);
    }
    const problems = validate(body);
    if (problems.length) return failure(400, problems);
    const messageId = randomBytes(16).toString('base64url').slice(0, 22);
    const text = body.content.find((block: { type: string }) => block.type === 'text/plain')?.value ?? '';
    for (const personalization of body.personalizations) {
      for (const recipient of personalization.to) {
        this.deliveries.push({
          to: recipient.email,
          from: body.from.email,
          subject: personalization.subject ?? body.subject,
          text,
          customArgs: { ...body.custom_args, ...personalization.custom_args },
          messageId,
        });
      }
    }
    return { status: 202, headers: { 'x-message-id': messageId } };
  }
}

function validate(body: any): SendGridError[] {
  const problems: SendGridError[] = [];
  const personalizations = body?.personalizations;
  if (!Array.isArray(personalizations) || personalizations.length === 0) problems.push(error('You must have at least one personalization.', 'personalizations'));
  else if (personalizations.length > 1000)
    problems.push(error(`The personalization block is limited to 1000 personalizations per API request. You have provided ${personalizations.length} personalizations.`, 'personalizations'));
  else {
    personalizations.forEach((personalization: any, index: number) => {
      if (!Array.isArray(personalization?.to) || personalization.to.length === 0) problems.push(error('The to parameter is required for all personalization objects.', `personalizations.${index}.to`));
      else
        personalization.to.forEach((recipient: any, position: number) => {
          if (typeof recipient?.email !== 'string' || !EMAIL.test(recipient.email)) problems.push(error('Does not contain a valid address.', `personalizations.${index}.to.${position}.email`));
        });
    });
  }
  if (typeof body?.from?.email !== 'string')
    problems.push(error('The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter.', 'from'));
  else if (!EMAIL.test(body.from.email)) problems.push(error('The from email does not contain a valid address.', 'from.email'));
  const everySubject = Array.isArray(personalizations) && personalizations.length > 0 && personalizations.every((personalization: any) => typeof personalization?.subject === 'string');
  if ((typeof body?.subject !== 'string' || body.subject === '') && !everySubject && !body?.template_id) {
    problems.push(error('The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.', 'subject'));
  }
  const content = body?.content;
  if (!Array.isArray(content) || content.length === 0) {
    if (!body?.template_id) problems.push(error('Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block.', 'content'));
  } else {
    content.forEach((block: any, index: number) => {
      if (typeof block?.value !== 'string' || block.value.length === 0) problems.push(error('The content value must be a string at least one character in length.', `content.${index}.value`));
    });
    const plain = content.findIndex((block: any) => block?.type === 'text/plain');
    if (plain > 0) problems.push(error('If present, text/plain content must be first, followed by text/html, followed by any other content.', 'content'));
  }
  for (const [key, value] of Object.entries(body?.custom_args ?? {})) {
    if (typeof value !== 'string') problems.push(error('Custom args values must be strings.', `custom_args.${key}`));
  }
  return problems;
}

const error = (message: string, field: string | null): SendGridError => ({ message, field, help: null });
const failure = (status: number, errors: SendGridError[]): LoopbackAnswer => ({ status, json: { errors } });
