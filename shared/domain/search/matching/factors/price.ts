import type { Factor } from './factor';

/**
 * The hourly rate against the hourly budget, in the same currency only: within budget scores 1,
 * each 1% over costs 2% (50% over scores 0). Rates in another currency are not converted — the
 * matcher has no exchange rates it could stand behind — so they score a neutral 0.5 and say so.
 */
export const priceFit: Factor = (expert, context) => {
  const budget = context.need.budget;
  if (!budget) return undefined;
  const { amount, currency } = expert.rate;
  if (currency !== budget.currency) return { score: 0.5, caution: `charges in ${currency}, your budget is in ${budget.currency}: not compared` };
  if (amount <= budget.amount) return { score: 1, reason: `within budget (${currency} ${amount}/h)` };
  const over = (amount - budget.amount) / budget.amount;
  return { score: Math.max(0, 1 - 2 * over), caution: `${Math.ceil(over * 100)}% over your budget (${currency} ${amount}/h)` };
};
