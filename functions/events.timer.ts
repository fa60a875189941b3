import { app, output } from '@azure/functions';
import { events } from '../shared/composition';
import { EVENTS_TOPIC } from '../shared/domain/events/schemas';

// The event relay, every five seconds: the staged events that are due (new ones, and attempts the
// topic did not confirm within their lease) go to the topic through the Service Bus output
// binding, each subject's in sequence order. The binding sends them after the handler returns and
// tells the code nothing, so the topic's own copy confirms each one (events.servicebus.ts).
app.timer('eventsRelay', {
  schedule: '*/5 * * * * *',
  return: output.serviceBusTopic({ topicName: EVENTS_TOPIC, connection: 'ServiceBusConnection' }),
  handler: async (_timer, context) => {
    const due = await (await events()).relay.claimDue();
    if (!due.length) return undefined;
    context.log(`Event relay: sending ${due.length} event(s) to ${EVENTS_TOPIC}`);
    return due;
  },
});
