import { app } from '@azure/functions';
import { events } from '../shared/composition';
import { EVENTS_TOPIC, RELAY_SUBSCRIPTION } from '../shared/domain/events/schemas';

// The relay's own subscription on the topic: every event that reached the topic arrives here once
// more and is marked published, which lets its subject's next events go. A failure to mark it
// throws, so Service Bus delivers the copy again.
app.serviceBusTopic('eventsConfirm', {
  topicName: EVENTS_TOPIC,
  subscriptionName: RELAY_SUBSCRIPTION,
  connection: 'ServiceBusConnection',
  handler: async (message, context) => {
    const outcome = await (await events()).relay.confirm(message);
    if (outcome === 'unknown') context.warn(`Event relay: message ${String(context.triggerMetadata?.messageId)} on ${EVENTS_TOPIC} is not an event the relay staged (or it has expired); dropped`);
  },
});
