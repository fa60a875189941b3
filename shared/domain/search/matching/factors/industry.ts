import type { Factor } from './factor';

/** Whether the expert works with companies of the need's industry. */
export const industryFit: Factor = (expert, context) => {
  const industry = context.need.industry;
  if (!industry) return undefined;
  return expert.industries.includes(industry) ? { score: 1, reason: `works with ${industry.replace(/-/g, ' ')} companies` } : { score: 0 };
};
