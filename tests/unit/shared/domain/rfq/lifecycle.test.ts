import { describe, expect, it } from 'vitest';
import { changesMatching, freshRfq, keptEvent, receive } from '../../../../../shared/domain/rfq/lifecycle';
import { EXAMPLE_RFQ } from '../../../../../shared/domain/rfq/example';
import { parseRfqEvent, type RfqData, type RfqEvent } from '../../../../../shared/domain/rfq/schemas';
import { rfqEvent } from '../../../../helpers/rfq-events';

// What makes matching due: the create, and an update to a field the matcher reads.

const base = EXAMPLE_RFQ as RfqData;
const at = '2026-12-07T10:00:00.000Z';

function parsed(raw: unknown): RfqEvent {
  const result = parseRfqEvent(raw);
  if (!result.ok) throw new Error(JSON.stringify(result.fields));
  return result.event;
}

describe('matching due', () => {
  it('a create makes matching due for its version; an update of the title makes it due again for the new one', () => {
    const created = receive(freshRfq(base.rfqId, at), keptEvent(parsed(rfqEvent('created'))), at).rfq;
    expect(created.matching).toEqual({ status: 'due', version: 1, dueSince: at });
    const done = { ...created, matching: { ...created.matching!, status: 'done' as const } };
    const updated = receive(done, keptEvent(parsed(rfqEvent('updated', { data: { version: 2, title: 'FSVP and PCQI support' } }))), '2026-12-08T10:00:00.000Z').rfq;
    expect(updated.matching).toEqual({ status: 'due', version: 2, dueSince: '2026-12-08T10:00:00.000Z' });
  });

  it('counts title, description, specializations, jurisdictions, languages and industry as material; budget, deadline and attachments not', () => {
    for (const change of [{ title: 'Another title' }, { description: 'Other words' }, { specializations: [] }, { jurisdictions: ['US', 'EU'] }, { languages: ['en'] }, { industry: undefined }]) {
      expect(changesMatching(base, { ...base, ...change } as RfqData)).toBe(true);
    }
    for (const change of [{ budget: undefined }, { responseDeadline: '2026-12-30T23:59:00Z' }, { attachments: [] }, { urgency: 'urgent' }, { version: 5 }]) {
      expect(changesMatching(base, { ...base, ...change } as RfqData)).toBe(false);
    }
  });
});
