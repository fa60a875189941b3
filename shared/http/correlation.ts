import { randomBytes, randomUUID } from 'node:crypto';
import type { HttpRequest, InvocationContext } from '@azure/functions';

export interface Correlation {
  requestId: string;
  /** The W3C traceparent of the span answering this request. */
  traceparent: string;
}

/** Accepted ids are short and header/log safe; anything else is replaced, not echoed. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

interface TraceParent {
  traceId: string;
  spanId: string;
  flags: string;
}

/** Parses a W3C traceparent (version 00, or a later version read as 00); null when invalid. */
function parseTraceparent(header: string | null | undefined): TraceParent | null {
  const match = header ? TRACEPARENT.exec(header.trim()) : null;
  if (!match) return null;
  const [, version, traceId, spanId, flags, rest] = match;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return null;
  if (/^0+$/.test(traceId!) || /^0+$/.test(spanId!)) return null;
  return { traceId: traceId!, spanId: spanId!, flags: flags! };
}

/**
 * The request id (a well-formed incoming `x-request-id`, else a new one) and the span to
 * answer with. The trace continues the caller's; the invocation's own span is used when the
 * host already continued that same trace for this invocation (Azure does), so the header
 * points at the span Application Insights records.
 */
export function correlate(request: HttpRequest, context: InvocationContext): Correlation {
  const incomingId = request.headers.get('x-request-id');
  const requestId = incomingId && REQUEST_ID.test(incomingId) ? incomingId : randomUUID();
  const incoming = parseTraceparent(request.headers.get('traceparent'));
  const invocation = parseTraceparent(context.traceContext?.traceParent);
  const span =
    invocation && (!incoming || invocation.traceId === incoming.traceId)
      ? invocation
      : { traceId: incoming?.traceId ?? randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex'), flags: incoming?.flags ?? '01' };
  return { requestId, traceparent: `00-${span.traceId}-${span.spanId}-${span.flags}` };
}
