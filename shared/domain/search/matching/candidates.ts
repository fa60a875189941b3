import { findCertification, findSpecialization } from '../../experts/taxonomy';
import type { ExpertIndex } from '../expert-index';
import type { Need } from './need';

/** Words that say nothing about expertise; dropping them keeps long needs from matching every bio. */
const STOP_WORDS = new Set(
  'a an and are as at be been but by can could do does for from had has have help how i in into is it its looking me more my need needs of on or our ours please should so some someone than that the their them then there these they this those to too us very was we were what when where which who will with within would you your'.split(' '),
);

/**
 * The words the need is matched on: its title and description, plus the names and acronyms of
 * the specializations and certifications it lists explicitly and its industry, without stop words.
 */
export function needWords(need: Need): string {
  const named = [
    ...(need.specializations ?? []).flatMap((id) => [findSpecialization(id)!.name, ...findSpecialization(id)!.acronyms]),
    ...(need.certifications ?? []).flatMap((id) => [findCertification(id)!.name, ...findCertification(id)!.acronyms]),
    need.industry ?? '',
  ];
  return [need.title, need.description ?? '', ...named]
    .join(' ')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word && !STOP_WORDS.has(word.toLowerCase()))
    .join(' ');
}

/**
 * Candidate generation: the experts whose profiles best match the need's words (BM25 over name,
 * headline, expertise — which carries every specialization's synonyms and acronyms — and bio),
 * at most `limit` of them, with their text score relative to the best (0..1). Only candidates are
 * scored in full, so a request costs one text search plus `limit` small scorings, whatever the
 * size of the index.
 */
export function textCandidates(index: ExpertIndex, words: string, limit: number): Map<string, number> {
  const scores = words ? index.textScores(words) : new Map<string, number>();
  const best = topScores(scores, limit);
  const top = best[0]?.[1] ?? 0;
  return new Map(best.map(([id, score]) => [id, top > 0 ? score / top : 0]));
}

/** The `limit` highest entries, best first (ties by id, so the same state gives the same list). */
function topScores(scores: Map<string, number>, limit: number): [string, number][] {
  const entries = [...scores];
  const byScore = (a: [string, number], b: [string, number]) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1);
  if (entries.length <= limit) return entries.sort(byScore);
  // Everything at or above the limit-th best score, found without sorting all matches.
  const threshold = kthLargest(entries.map(([, score]) => score), limit);
  return entries.filter(([, score]) => score >= threshold).sort(byScore).slice(0, limit);
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
