import { HttpRequest, type HttpHandler, type HttpRequestInit, HttpResponse, type HttpResponseInit, InvocationContext } from '@azure/functions';
import { vi } from 'vitest';

/** What a client receives: status, headers and body, as the runtime would send them. */
export interface ClientResponse {
  status: number;
  headers: Headers;
  text: string;
  json: () => any;
}

export interface CallOptions extends HttpRequestInit {
  traceParent?: string;
}

/** Calls a wrapped handler with directly built request and context objects. */
export async function call(handler: HttpHandler, options: CallOptions = {}) {
  const { traceParent, ...init } = options;
  const context = new InvocationContext({
    invocationId: 'inv-1',
    functionName: 'test',
    traceContext: traceParent ? { traceParent } : undefined,
  });
  const errors = vi.spyOn(context, 'error').mockImplementation(() => undefined);
  const request = new HttpRequest({ method: 'GET', url: 'http://localhost/api/v1/things', ...init });
  const result = (await handler(request, context)) as HttpResponseInit;
  const response = new HttpResponse(result);
  const text = await response.text();
  const client: ClientResponse = { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
  return { response: client, logged: errors.mock.calls };
}
