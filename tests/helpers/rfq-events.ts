/** CloudEvents as the RFQ system sends them (the example of issue 17), for tests and scripts. */

type Kind = 'created' | 'updated' | 'cancelled' | 'closed';

export const EXAMPLE_RFQ = {
  rfqId: 'RFQ-2026-000123',
  version: 1,
  buyer: { companyId: 'C-981', companyName: 'Andes Fruit Exports', contactName: 'Lucía Rojas', contactEmail: 'lucia@andes.example', country: 'CL' },
  title: 'FSVP support for fresh blueberry exports to the US',
  description: 'We export fresh blueberries from Chile and need an FSVP-ready supplier file before the season.',
  specializations: ['fsvp'],
  jurisdictions: ['US'],
  languages: ['es', 'en'],
  industry: 'produce',
  budget: { amountMinor: 1_200_000, currency: 'USD', unit: 'fixed' },
  responseDeadline: '2026-12-20T23:59:00Z',
  startBy: '2027-01-10',
  urgency: 'normal',
  attachments: [{ name: 'spec.pdf', url: 'https://files.andes.example/spec.pdf', contentType: 'application/pdf' }],
};

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
