import { EXAMPLE_RFQ } from '../../shared/domain/rfq/example';
import { type RunningHost, waitFor } from './host-process';

/** CloudEvents as the RFQ system sends them (the example of issue 17), for tests. */

type Kind = 'created' | 'updated' | 'cancelled' | 'closed';

export interface EventOverrides {
  id?: string;
  data?: Record<string, unknown>;
  [attribute: string]: unknown;
}

/** A CloudEvent of `kind`; created and updated carry the whole example RFQ, cancelled and closed its id and version. */
export function rfqEvent(kind: Kind, { data = {}, ...attributes }: EventOverrides = {}): Record<string, unknown> {
  const body = kind === 'created' || kind === 'updated' ? { ...EXAMPLE_RFQ, ...data } : { rfqId: EXAMPLE_RFQ.rfqId, version: 2, ...data };
  return {
    specversion: '1.0',
    id: `evt-${kind}-${String(body.version)}`,
    source: 'foodxchange/rfq',
    type: `foodxchange.rfq.${kind}`,
    time: '2026-12-07T10:00:00Z',
    subject: body.rfqId,
    datacontenttype: 'application/json',
    data: body,
    ...attributes,
  };
}

/** Sends one message onto the host's rfq-events queue; the messageId is the event id unless given. */
export async function enqueueRfqEvent(host: RunningHost, event: Record<string, unknown> | string, messageId = typeof event === 'string' ? undefined : String(event.id)): Promise<Response> {
  const response = await fetch(`${host.baseUrl}/admin/servicebus/rfq-events/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(messageId ? { BrokerProperties: JSON.stringify({ MessageId: messageId }) } : {}) },
    body: typeof event === 'string' ? event : JSON.stringify(event),
  });
  if (response.status !== 201) throw new Error(`rfq-events refused the message: ${response.status} ${await response.text()}`);
  return response;
}

/** Waits until rfq-events holds nothing visible or locked: every message sent so far was handled and settled. */
export async function rfqQueueDrained(host: RunningHost): Promise<void> {
  await waitFor(
    async () => {
      const entities = (await (await fetch(`${host.baseUrl}/admin/servicebus`)).json()) as { path: string; active: number; locked: number }[];
      const queue = entities.find((entity) => entity.path === 'rfq-events');
      return queue && queue.active === 0 && queue.locked === 0 ? true : undefined;
    },
    15_000,
    'rfq-events to drain',
  );
}
