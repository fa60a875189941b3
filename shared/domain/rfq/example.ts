/** The RFQ of the contract's example (issue 17): the AsyncAPI document shows it, tests send it. */
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
