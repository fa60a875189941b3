import { z } from 'zod';
import { SqliteDocumentStore } from '../../shared/adapters/document-store/sqlite/sqlite-document-store';
import type { Container, Document } from '../../shared/data/document-store';
import { withOutboundEvents } from '../../shared/domain/events/containers';
import type { EventDocument } from '../../shared/domain/events/documents';
import { defineOutboundEvent, eventCatalog } from '../../shared/domain/events/event-types';

/**
 * A small area for the event tests: orders, partitioned by order id, whose changes publish
 * `foodxchange.test.order_placed` and `.order_shipped`; and shipments, a second container, for
 * what spans containers (the admin list, the relay's pass).
 */
export const orders = withOutboundEvents({ name: 'test-orders', partitionKey: 'orderId', indexes: ['status'] });
export const shipments = withOutboundEvents({ name: 'test-shipments', partitionKey: 'carrier.id' });

export const orderPlaced = defineOutboundEvent({
  type: 'foodxchange.test.order_placed',
  summary: 'An order was placed',
  subject: 'the order id',
  data: z.object({ orderId: z.string(), totalMinor: z.number().int() }),
  container: orders,
});
export const orderShipped = defineOutboundEvent({
  type: 'foodxchange.test.order_shipped',
  summary: 'An order left the warehouse',
  subject: 'the order id',
  data: z.object({ orderId: z.string(), carrier: z.string() }),
  container: shipments,
});

export const testCatalog = eventCatalog([orderPlaced, orderShipped]);

export interface Order extends Document {
  orderId: string;
  status: string;
}

export async function eventContainers(): Promise<{ orders: Container<Document | EventDocument>; shipments: Container<Document | EventDocument> }> {
  const store = SqliteDocumentStore.open(':memory:');
  return { orders: await store.container(orders), shipments: await store.container(shipments) };
}
