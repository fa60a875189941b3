import { findCertification, findSpecialization } from '../../experts/taxonomy';
import { normalize } from '../need-reader';
import type { MatchLookup } from './match-lookup';
import type { Need } from './need';

/** Words that say nothing about expertise; dropping them keeps long needs from matching every profile. */
const STOP_WORDS = new Set(
  'a an and are as at be been but by can could do does for from had has have help how i in into is it its looking me more my need needs of on or our ours please should so some someone than that the their them then there these they this those to too us very was we were what when where which who will with within would you your'.split(
    ' ',
  ),
);
/**
 * A word more than this share of experts use (food, safety) tells little and costs a long posting
 * list, so it is skipped — in pools large enough for the cost to matter, and unless the need has
 * nothing else to go on.
 */
const COMMON_SHARE = 0.1;
const COMMON_FLOOR = 1_000;
/** What covering a concept the need names, or holding a certification it names, adds to a candidate's pre-score. */
const CONCEPT_BONUS = 3;

/**
 * The words the need is matched on: its title and description, plus the names and acronyms of
 * the specializations and certifications it lists explicitly and its industry, normalised, each
 * once, without stop words.
 */
export function needWords(need: Need): string[] {
  const named = [
    ...(need.specializations ?? []).flatMap((id) => [findSpecialization(id)!.name, ...findSpecialization(id)!.acronyms]),
    ...(need.certifications ?? []).flatMap((id) => [findCertification(id)!.name, ...findCertification(id)!.acronyms]),
    need.industry ?? '',
  ];
  return [...new Set(normalize([need.title, need.description ?? '', ...named].join(' ')).split(' '))].filter((word) => word && !STOP_WORDS.has(word));
}

export interface Candidates {
  ids: string[];
  /** Text relevance 0..1 (relative to the best candidate), keyed by id. */
  text: Map<string, number>;
}

/**
 * Candidate generation from the lookups: every expert using one of the need's telling words
 * gains that word's weight (rarer words weigh more), every expert covering one of its concepts
 * or holding a certification it names gains a bonus; the `limit` best are scored in full. A
 * request costs a few posting lists and `limit` scorings, whatever the size of the pool.
 */
export function candidatesFor(lookup: MatchLookup, words: string[], concepts: string[], certifications: string[], limit: number): Candidates {
  const { text, prescore } = scratch(lookup.size);
  const touched: number[] = [];
  const addText = (ordinals: Int32Array, weight: number) => {
    for (let at = 0; at < ordinals.length; at++) {
      const ordinal = ordinals[at]!;
      if (prescore[ordinal] === 0) touched.push(ordinal);
      text[ordinal]! += weight;
      prescore[ordinal]! += weight;
    }
  };
  const addBonus = (ordinals: Int32Array) => {
    for (let at = 0; at < ordinals.length; at++) {
      const ordinal = ordinals[at]!;
      if (prescore[ordinal] === 0) touched.push(ordinal);
      prescore[ordinal]! += CONCEPT_BONUS;
    }
  };
  const common: string[] = [];
  for (const word of words) {
    const users = lookup.withWord(word);
    if (users.length > Math.max(COMMON_FLOOR, lookup.size * COMMON_SHARE)) common.push(word);
    else addText(users, lookup.weightOf(word));
  }
  for (const id of concepts) addBonus(lookup.withSpecialization(id));
  for (const id of certifications) addBonus(lookup.withCertification(id));
  // A vague need ("food safety help") has only common words: better those than nobody.
  if (touched.length === 0) for (const word of common) addText(lookup.withWord(word), lookup.weightOf(word));
  const best = topOrdinals(touched, prescore, limit);
  const top = Math.max(0, ...best.map((ordinal) => text[ordinal]!));
  const result = { ids: best.map((ordinal) => lookup.idOf(ordinal)), text: new Map(best.map((ordinal) => [lookup.idOf(ordinal), top > 0 ? text[ordinal]! / top : 0])) };
  // Leave the scratch arrays zeroed for the next request (touching only what this one used).
  for (const ordinal of touched) text[ordinal] = prescore[ordinal] = 0;
  return result;
}

/**
 * Score arrays reused from request to request (candidate generation is synchronous, so no two
 * requests share them at once): allocating and zeroing two arrays the size of the pool each time
 * cost more than the additions themselves.
 */
let arrays = { text: new Float64Array(0), prescore: new Float64Array(0) };
function scratch(size: number): typeof arrays {
  if (arrays.text.length < size) arrays = { text: new Float64Array(size), prescore: new Float64Array(size) };
  return arrays;
}

/** The `limit` best-scored ordinals, best first (ties in index order, so the same state gives the same list). */
function topOrdinals(touched: number[], scores: Float64Array, limit: number): number[] {
  const byScore = (a: number, b: number) => scores[b]! - scores[a]! || a - b;
  if (touched.length <= limit) return [...touched].sort(byScore);
  // Everything above the limit-th best score, then as many of those at it as fit (often thousands
  // tie there — everyone with only a concept bonus — so they are not sorted by score).
  const threshold = kthLargest(
    touched.map((ordinal) => scores[ordinal]!),
    limit,
  );
  const above: number[] = [];
  const at: number[] = [];
  for (const ordinal of touched) {
    const score = scores[ordinal]!;
    if (score > threshold) above.push(ordinal);
    else if (score === threshold) at.push(ordinal);
  }
  return [...above.sort(byScore), ...at.sort((a, b) => a - b).slice(0, limit - above.length)];
}

/** Quickselect: the k-th largest value (1-based), in linear time on average. */
function kthLargest(values: number[], k: number): number {
  let low = 0;
  let high = values.length - 1;
  const target = k - 1;
  while (low < high) {
    const pivot = values[(low + high) >> 1]!;
    let i = low;
    let j = high;
    while (i <= j) {
      while (values[i]! > pivot) i++;
      while (values[j]! < pivot) j--;
      if (i <= j) {
        [values[i], values[j]] = [values[j]!, values[i]!];
        i++;
        j--;
      }
    }
    if (target <= j) high = j;
    else if (target >= i) low = i;
    else break;
  }
  return values[target]!;
}
