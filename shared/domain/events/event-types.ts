import { z } from 'zod';
import type { ContainerDefinition } from '../../data/document-store';
import { holdsOutboundEvents } from './containers';
import { cloudEventSchema, EVENT_TYPE } from './schemas';

/**
 * One type of outbound event: what the AsyncAPI document says about it, the schema its `data`
 * must pass when staged, and the container of the area that stages it (the relay reads there).
 */
export interface OutboundEventType<T extends string = string, D extends z.ZodType = z.ZodType> {
  type: T;
  summary: string;
  /** What `subject` names for this type, e.g. "the RFQ id". */
  subject: string;
  data: D;
  /** A container declared `withOutboundEvents`; the area's own state lives in it. */
  container: ContainerDefinition;
}

export function defineOutboundEvent<T extends string, D extends z.ZodType>(definition: OutboundEventType<T, D>): OutboundEventType<T, D> {
  if (!EVENT_TYPE.test(definition.type)) throw new Error(`Event type "${definition.type}" must be reverse-DNS under foodxchange., e.g. foodxchange.rfq.matched`);
  return definition;
}

/** The whole message of one type, envelope and data, for the AsyncAPI document. */
export function outboundEventSchema<T extends string, D extends z.ZodType>(definition: OutboundEventType<T, D>) {
  return cloudEventSchema.extend({ type: z.literal(definition.type), data: definition.data }).describe(definition.summary);
}

/** The types by name; staging and the relay know no others. */
export type EventCatalog = ReadonlyMap<string, OutboundEventType>;

export function eventCatalog(types: readonly OutboundEventType[]): EventCatalog {
  const catalog = new Map<string, OutboundEventType>();
  for (const type of types) {
    if (catalog.has(type.type)) throw new Error(`Event type ${type.type} is declared twice`);
    if (!holdsOutboundEvents(type.container)) throw new Error(`Event type ${type.type}: its container ${type.container.name} is not declared withOutboundEvents`);
    catalog.set(type.type, type);
  }
  return catalog;
}
