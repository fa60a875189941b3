import type { Need } from '../search/matching/need';
import type { RfqData } from './schemas';

/** The matcher's description is shorter than an RFQ's: its first part carries the telling words. */
const NEED_DESCRIPTION_CHARACTERS = 5000;
/** How many suggestions matching reads: enough to skip those already invited and still fill the cap. */
export const MATCH_SUGGESTIONS = 50;

/**
 * What the matcher is asked for an RFQ. The budget is left out: the matcher compares an hourly
 * rate in major units, while an RFQ's budget may be fixed and is in minor units of any currency.
 */
export function needFromRfq(data: RfqData): Need {
  return {
    title: data.title,
    description: data.description.slice(0, NEED_DESCRIPTION_CHARACTERS),
    ...(data.specializations?.length ? { specializations: data.specializations } : {}),
    ...(data.jurisdictions?.length ? { jurisdictions: data.jurisdictions } : {}),
    ...(data.languages?.length ? { languages: data.languages } : {}),
    ...(data.industry ? { industry: data.industry } : {}),
    limit: MATCH_SUGGESTIONS,
  };
}
