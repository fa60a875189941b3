import { app, type InvocationContext } from '@azure/functions';
import { describeInvalidFields, parseRfqEvent, RFQ_EVENTS_QUEUE } from '../shared/domain/rfq/schemas';
import { registerServiceBusMessageFactory, rfq, SERVICE_BUS_CONNECTION, type ServiceBusMessageContext } from '../shared/composition';

// Before the first message: the trigger hands over SDK-type messages with their settlement actions.
registerServiceBusMessageFactory();

/** Why an invalid event is dead-lettered; operators filter dead letters by it. */
export const VALIDATION_FAILED = 'ValidationFailed';

/**
 * RFQ intake from the RFQ system's queue. A message that is not a valid RFQ CloudEvent can never
 * succeed, so it is dead-lettered at once with the failing fields; any other failure throws, the
 * host abandons the message, and Service Bus redelivers it until the queue's maxDeliveryCount,
 * then dead-letters it (MaxDeliveryCountExceeded). A redelivery after success changes nothing:
 * intake records each event id with its RFQ. Auto-matching runs before the message is
 * completed, so a failure there redelivers the message, and the redelivery (a duplicate to
 * intake) runs the matching the RFQ still has due.
 */
export async function rfqIntake({ messages, actions }: ServiceBusMessageContext, context: InvocationContext): Promise<void> {
  for (const message of messages) {
    const parsed = parseRfqEvent(message.body.toString('utf8'));
    if (!parsed.ok) {
      const description = describeInvalidFields(parsed.fields);
      context.warn(`RFQ event message ${message.messageId} is dead-lettered (${VALIDATION_FAILED}): ${description}`);
      await actions.deadletter(message, undefined, VALIDATION_FAILED, description);
      continue;
    }
    const rfqs = await rfq();
    const result = await rfqs.service.intake(parsed.event);
    context.info(`RFQ event ${parsed.event.id} (${parsed.event.type} ${parsed.event.data.rfqId} v${parsed.event.data.version}): ${result.outcome}${result.reason ? `, ${result.reason}` : ''}`);
    // Before completing, also after a duplicate: a delivery whose matching did not finish (a crash, a throw) is redelivered and finishes it.
    const matched = await (await rfqs.matching()).run(parsed.event.data.rfqId);
    if (matched.status === 'done') context.info(`RFQ ${parsed.event.data.rfqId} matched: ${matched.invited.length} invited in all, ${matched.nearMisses} near-misses`);
    await actions.complete(message);
  }
}

app.serviceBusQueue('rfqIntake', {
  connection: SERVICE_BUS_CONNECTION,
  queueName: RFQ_EVENTS_QUEUE,
  sdkBinding: true,
  // The function settles every message itself (dead letter or complete); a throw leaves it to the host, which abandons it.
  autoCompleteMessages: false,
  handler: rfqIntake,
});
