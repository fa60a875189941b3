import { describe, expect, it } from 'vitest';
import { describeInvalidFields, parseRfqEvent } from '../../../../../shared/domain/rfq/schemas';
import { rfqEvent } from '../../../../helpers/rfq-events';

describe('the RFQ CloudEvent contract', () => {
  it("accepts the issue's example, and one without any of the optional fields", () => {
    expect(parseRfqEvent(JSON.stringify(rfqEvent('created')))).toMatchObject({ ok: true, event: { id: 'evt-created-1', data: { urgency: 'normal' } } });
    const { specializations, jurisdictions, languages, industry, budget, startBy, attachments, ...required } = rfqEvent('created').data as Record<string, unknown>;
    expect(parseRfqEvent({ ...rfqEvent('created'), data: required, time: undefined, subject: undefined, datacontenttype: undefined })).toMatchObject({ ok: true });
    expect(parseRfqEvent(rfqEvent('cancelled'))).toMatchObject({ ok: true, event: { data: { rfqId: 'RFQ-2026-000123', version: 2 } } });
  });

  it('names every failing field with its dotted path', () => {
    const result = parseRfqEvent(
      rfqEvent('created', {
        specversion: '0.3',
        subject: 'RFQ-OTHER',
        data: {
          version: 1.5,
          budget: { amountMinor: 12.5, currency: 'XYZ', unit: 'day' },
          urgency: 'asap',
          buyer: { companyId: 'C-1', companyName: 'A', contactName: 'B', contactEmail: 'nope', country: 'CL' },
        },
      }),
    );
    expect(result.ok).toBe(false);
    const fields = result.ok ? [] : result.fields.map((field) => field.field);
    expect(fields).toEqual(expect.arrayContaining(['specversion', 'data.version', 'data.budget.amountMinor', 'data.budget.currency', 'data.budget.unit', 'data.urgency', 'data.buyer.contactEmail']));
    expect(result.ok ? '' : describeInvalidFields(result.fields)).toMatch(/^Invalid fields: .*data\.budget\.currency \(must be an ISO 4217 currency code/);
  });

  it('refuses a body that is not JSON, an unknown type, a missing data and a subject other than the rfqId', () => {
    expect(parseRfqEvent('{"specversion":')).toMatchObject({ ok: false, fields: [{ field: '(body)', message: expect.stringMatching(/^is not JSON/) }] });
    expect(parseRfqEvent(rfqEvent('created', { type: 'foodxchange.rfq.awarded' }))).toMatchObject({ ok: false, fields: [{ field: 'type' }] });
    expect(parseRfqEvent({ ...rfqEvent('updated'), data: undefined })).toMatchObject({ ok: false, fields: [{ field: 'data' }] });
    expect(parseRfqEvent(rfqEvent('updated', { subject: 'RFQ-OTHER' }))).toMatchObject({ ok: false, fields: [{ field: 'subject', message: 'must equal data.rfqId' }] });
  });
});
