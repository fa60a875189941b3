import { certifications, specializations } from '../../experts/taxonomy';
import type { ExpertIndex, IndexedExpert } from '../expert-index';
import { normalize } from '../need-reader';

/**
 * The matcher's lookups over an expert index: which experts cover each specialization, hold each
 * certification, or use each word in their profile (name, headline, the names, synonyms and
 * acronyms of their specializations and certifications, industries). Candidate generation reads
 * postings instead of running a full-text search: at 50,000 experts a text search costs about
 * 8 µs per matching expert (a common word matches most of them), a posting list a fraction of that.
 *
 * Derived from the index, not kept by it. At most every `CHECK_MS` (the search feed's own
 * staleness) a request checks whether any expert was added, removed or replaced since the build —
 * one identity comparison per expert, about a millisecond at 50,000 — and rebuilds only then,
 * reusing each unchanged expert's keys, so a steady pool is never rebuilt and an edited profile is
 * found under its new specializations within seconds. A candidate's data is always read fresh
 * from the index.
 */
export const CHECK_MS = 2_000;

export class MatchLookup {
  /** Experts by ordinal; postings hold ordinals, so a request adds into a typed array, not a map. */
  private readonly experts: IndexedExpert[] = [];
  private readonly postings = new Map<string, Int32Array>();

  private constructor(public checkedAt: number) {}

  get size(): number {
    return this.experts.length;
  }

  static build(index: ExpertIndex, now = performance.now()): MatchLookup {
    const lookup = new MatchLookup(now);
    const lists: number[][] = [];
    for (const expert of index.experts()) {
      const ordinal = lookup.experts.push(expert) - 1;
      for (const key of keysOf(expert)) (lists[key] ??= []).push(ordinal);
    }
    lists.forEach((list, key) => lookup.postings.set(KEYS.names[key]!, Int32Array.from(list)));
    return lookup;
  }

  idOf(ordinal: number): string {
    return this.experts[ordinal]!.id;
  }

  /** Whether the index holds exactly the expert objects this was built from, in the same order. */
  matches(index: ExpertIndex): boolean {
    if (index.size !== this.size) return false;
    let ordinal = 0;
    for (const expert of index.experts()) if (expert !== this.experts[ordinal++]) return false;
    return true;
  }

  /** Experts under a specialization (or a child of it), as ordinals. */
  withSpecialization(id: string): Int32Array {
    return this.postings.get(`s:${id}`) ?? NONE;
  }

  withCertification(id: string): Int32Array {
    return this.postings.get(`c:${id}`) ?? NONE;
  }

  withWord(word: string): Int32Array {
    return this.postings.get(word) ?? NONE;
  }

  /** How telling a word is: log(1 + N / experts using it); 0 for a word nobody uses. */
  weightOf(word: string): number {
    const count = this.withWord(word).length;
    return count ? Math.log(1 + this.size / count) : 0;
  }
}

const NONE = new Int32Array(0);

const cached = new WeakMap<ExpertIndex, MatchLookup>();

/** The lookup for this index, rebuilt when the index has changed (checked at most every CHECK_MS). */
export function lookupFor(index: ExpertIndex, now = performance.now()): MatchLookup {
  const current = cached.get(index);
  if (current && now - current.checkedAt < CHECK_MS) return current;
  if (current?.matches(index)) {
    current.checkedAt = now;
    return current;
  }
  const fresh = MatchLookup.build(index, now);
  cached.set(index, fresh);
  return fresh;
}

/**
 * Every key (word, `s:`/`c:` id) ever seen, numbered: an expert's keys are remembered as numbers,
 * not as the strings splitting their profile made (a million small strings at 50,000 experts,
 * each one more object for every garbage collection to visit).
 */
const KEYS = { numbers: new Map<string, number>(), names: [] as string[] };

function keyNumber(key: string): number {
  let number = KEYS.numbers.get(key);
  if (number === undefined) KEYS.numbers.set(key, (number = KEYS.names.push(key) - 1));
  return number;
}

/** Each expert object's keys, worked out once (the index replaces the object when the profile changes). */
const keyMemo = new WeakMap<IndexedExpert, Int32Array>();

function keysOf(expert: IndexedExpert): Int32Array {
  let keys = keyMemo.get(expert);
  if (!keys) keyMemo.set(expert, (keys = Int32Array.from(profileKeys(expert), keyNumber)));
  return keys;
}

/** The profile's words, each once. */
export function profileWords(expert: IndexedExpert): Set<string> {
  const words = new Set(normalize(`${expert.name} ${expert.headline} ${expert.industries.join(' ')}`).split(' '));
  for (const id of expert.specializationIds) for (const word of TAXONOMY_WORDS.get(`s:${id}`) ?? []) words.add(word);
  for (const id of expert.certificationIds) for (const word of TAXONOMY_WORDS.get(`c:${id}`) ?? []) words.add(word);
  words.delete('');
  return words;
}

function* profileKeys(expert: IndexedExpert): Generator<string> {
  yield* profileWords(expert);
  for (const id of expert.specializationIds) yield `s:${id}`;
  for (const id of expert.certificationIds) yield `c:${id}`;
}

/** Words of each taxonomy entry (name, synonyms, acronyms; a certification's issuer), worked out once. */
const TAXONOMY_WORDS = new Map<string, string[]>([
  ...specializations.map((entry) => [`s:${entry.id}`, wordsOf([entry.name, ...entry.synonyms, ...entry.acronyms])] as const),
  ...certifications.map((entry) => [`c:${entry.id}`, wordsOf([entry.name, entry.issuer, ...entry.acronyms])] as const),
]);

function wordsOf(texts: string[]): string[] {
  return [...new Set(normalize(texts.join(' ')).split(' '))];
}
