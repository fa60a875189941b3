import { z } from 'zod';
import type { Container, Document } from '../../data/document-store';
import { eventPings } from './containers';
import { defineOutboundEvent } from './event-types';
import type { EventOutbox } from './outbox';
import type { CloudEvent } from './schemas';

/** What a consumer of the topic checks its subscription with, end to end, as with a webhook's test delivery. */
export const marketplacePing = defineOutboundEvent({
  type: 'foodxchange.marketplace.ping',
  summary: 'A test event an admin sends (POST /api/v1/admin/events/ping): consumers see it as they see every event, then ignore it',
  subject: 'The ping stream the admin named (`ping` unless told otherwise)',
  data: z.object({
    requestedBy: z.uuid().describe('The admin who sent it'),
    note: z.string().max(500).nullable(),
  }),
  container: eventPings,
});

export class Pings {
  constructor(
    private readonly events: EventOutbox,
    private readonly container: Container<Document>,
  ) {}

  /** Stages a ping; the same `cause` (a retried request) is the same ping. */
  async send(adminId: string, input: { subject: string; note?: string }, cause: string): Promise<CloudEvent> {
    const { events } = await this.events
      .batch(this.container, input.subject)
      .stage(marketplacePing, { subject: input.subject, cause: `ping:${cause}`, data: { requestedBy: adminId, note: input.note ?? null } })
      .commit();
    return events[0]!;
  }
}
