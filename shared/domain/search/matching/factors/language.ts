import { languages } from 'countries-list';
import type { Factor } from './factor';

const languageName = (code: string): string => languages[code as keyof typeof languages]?.name ?? code;

/** The share of the need's languages the expert speaks. */
export const languageFit: Factor = (expert, context) => {
  const wanted = context.need.languages;
  if (!wanted?.length) return undefined;
  const spoken = wanted.filter((code) => expert.languages.includes(code));
  const unspoken = wanted.filter((code) => !spoken.includes(code));
  return {
    score: spoken.length / wanted.length,
    ...(spoken.length ? { reason: `speaks ${spoken.map(languageName).join(' and ')}` } : {}),
    ...(unspoken.length ? { caution: `does not list ${unspoken.map(languageName).join(' or ')}` } : {}),
  };
};
