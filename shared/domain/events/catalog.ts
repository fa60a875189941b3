import type { OutboundEventType } from './event-types';
import { rfqMatched } from '../rfq/matched-event';
import { marketplacePing } from './ping';

/**
 * Every type of event the marketplace publishes on `marketplace-events`. The AsyncAPI document
 * describes these (each with `outboundEventSchema`), staging refuses any other, and the relay
 * reads the containers they name. An area adds its types here (defined beside its service with
 * `defineOutboundEvent`, staged in its own container).
 */
export const outboundEvents: readonly OutboundEventType[] = [marketplacePing, rfqMatched];
