import { z } from 'zod';
import { daysBetween, MAX_RANGE_DAYS, resolveRange } from '../shared/domain/experts/analytics';
import { requireRoles } from '../shared/http/auth';
import { defineEndpoint, experts } from '../shared/composition';

const counts = { profileViews: z.number(), searchAppearances: z.number(), suggestionAppearances: z.number(), contactRequests: z.number() };
const seriesSchema = z.object({
  from: z.string(),
  to: z.string(),
  totals: z.object(counts),
  days: z.array(z.object({ date: z.string(), ...counts })),
});

const isoDay = z.iso.date();

/** Defaults to the last 30 days up to today (UTC); a range is at most MAX_RANGE_DAYS days. */
const rangeQuery = z
  .object({
    from: isoDay.optional().describe('First day (UTC), YYYY-MM-DD; default 29 days before `to`'),
    to: isoDay.optional().describe('Last day (UTC), YYYY-MM-DD; default today'),
  })
  .superRefine((query, context) => {
    // Object refinements run even when a field failed; those failures are reported already.
    if (![query.from, query.to].every((day) => day === undefined || isoDay.safeParse(day).success)) return;
    const range = resolveRange(query, new Date());
    if (range.from > range.to) context.addIssue({ code: 'custom', path: ['from'], message: 'must not be after `to`' });
    else if (daysBetween(range.from, range.to) > MAX_RANGE_DAYS) context.addIssue({ code: 'custom', path: ['from'], message: `the range may span at most ${MAX_RANGE_DAYS} days` });
  });

export const expertAnalytics = defineEndpoint({
  name: 'getExpertAnalytics',
  method: 'GET',
  route: 'v1/experts/analytics',
  summary: 'How you are found: profile views, search and suggestion appearances, contact requests, by day',
  description: `Your own counts only, per UTC day over from..to (inclusive, at most ${MAX_RANGE_DAYS} days; default the last 30 days), days without events included as zeros.`,
  tags: ['experts'],
  auth: requireRoles('expert'),
  query: rangeQuery,
  responses: { 200: { description: 'Counts by day and in total', schema: seriesSchema } },
  handler: async ({ principal, query }) => ({ body: await (await experts()).analytics.seriesFor(principal.userId, query) }),
});
