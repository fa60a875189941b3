import { EXAMPLE_RFQ } from '../../shared/domain/rfq/example';

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
