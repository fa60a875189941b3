import { ancestry, findSpecialization, specializations } from '../../experts/taxonomy';
import type { ExpertIndex, IndexedExpert } from '../expert-index';
import { readNeed, type Concept } from '../need-reader';
import type { SemanticSignals } from '../semantic';
import { candidatesFor, needWords } from './candidates';
import { lookupFor } from './match-lookup';
import { type ExposureCounter, spreadFairly } from './fairness';
import type { MatchContext } from './factors/factor';
import type { Need } from './need';
import { checkRequirements, requirementsFor } from './requirements';
import { round, scoreExpert, type Scored } from './scoring';
import { type MatchMode, SEMANTIC_TIMEOUT_MS, similaritiesFor, within } from './semantic-mode';

export interface SuggestOptions {
  now?: Date;
  /** Embedding similarity and re-rank, when configured. */
  semantic?: SemanticSignals;
  semanticTimeoutMs?: number;
  /** Recent suggestions per expert, for spreading near-ties (and counted here). */
  exposure?: ExposureCounter;
  /** How many experts are scored in full (the best text matches, plus semantic neighbours). */
  candidates?: number;
}

export interface Suggestion extends Scored {
  expert: IndexedExpert;
  meetsRequirements: boolean;
}

export interface SuggestResult {
  mode: MatchMode;
  fallback?: string;
  need: { specializations: Concept[]; certifications: Concept[]; jurisdictions: Concept[]; requirements: string[] };
  items: Suggestion[];
}

const DEFAULT_CANDIDATES = 200;
/** How many of the best suggestions a re-rank sees, and how much its score counts. */
const RERANK_TOP = 20;
const RERANK_SHARE = 0.3;

/**
 * Suggests experts for a need: reads it with the taxonomy, generates candidates from the
 * lookups (telling words, concepts, named certifications; embedding neighbours in hybrid mode),
 * scores only those on the soft factors, keeps the ones meeting the hard requirements — or, when
 * nobody does, the nearest misses with what they lack — optionally re-ranks, and spreads
 * near-ties by recent exposure.
 */
export async function suggest(index: ExpertIndex, need: Need, options: SuggestOptions = {}): Promise<SuggestResult> {
  const now = options.now ?? new Date();
  const reading = readNeed(`${need.title}\n${need.description ?? ''}`);
  const requirements = requirementsFor(need, reading);
  const limit = options.candidates ?? DEFAULT_CANDIDATES;
  const needText = [need.title, need.description].filter(Boolean).join('\n');
  const semantic = await similaritiesFor(options.semantic, needText, limit, options.semanticTimeoutMs ?? SEMANTIC_TIMEOUT_MS);
  let mode: MatchMode = semantic.similarities ? 'hybrid' : 'lexical';
  let fallback = semantic.fallback;

  const about = conceptsOf(need, reading);
  const candidates = candidatesFor(
    lookupFor(index),
    needWords(need),
    about.concepts.map((concept) => concept.id),
    about.namedCertifications,
    limit,
  );
  const context: MatchContext = { need, ...about, text: candidates.text, ...(semantic.similarities ? { similarities: semantic.similarities } : {}), now };
  const scored: (Suggestion & { id: string; missing: number })[] = [];
  for (const id of new Set([...candidates.ids, ...(semantic.similarities?.keys() ?? [])])) {
    const expert = index.get(id);
    if (!expert) continue;
    const check = checkRequirements(expert, requirements);
    const result = scoreExpert(expert, context);
    scored.push({
      id,
      expert,
      ...result,
      meetsRequirements: check.met,
      missing: check.missing.length,
      reasons: [...check.satisfied, ...result.reasons],
      cautions: [...check.missing, ...result.cautions],
    });
  }
  // Those who meet the requirements; when nobody does, the nearest misses (fewest gaps first).
  const meeting = scored.filter((item) => item.meetsRequirements);
  let ranked = (meeting.length ? meeting : scored).sort((a, b) => a.missing - b.missing || b.score - a.score || (a.id < b.id ? -1 : 1));

  if (semantic.similarities && options.semantic?.rerank) {
    const reranked = await rerank(options.semantic, needText, ranked, options.semanticTimeoutMs ?? SEMANTIC_TIMEOUT_MS);
    if ('failed' in reranked) fallback = `re-rank failed: ${reranked.failed}`;
    else {
      ranked = reranked.ranked;
      mode = 'hybrid+rerank';
    }
  }
  const at = now.getTime();
  const items = (options.exposure ? spreadByMissing(ranked, (id) => options.exposure!.exposure(id, at)) : ranked).slice(0, need.limit);
  options.exposure?.record(
    items.map((item) => item.id),
    at,
  );
  return {
    mode,
    ...(fallback ? { fallback } : {}),
    need: { ...reading, requirements: requirements.map((requirement) => requirement.label) },
    items: items.map(({ id: _id, missing: _missing, ...item }) => ({ ...item, score: round(item.score), reasons: withReason(item, context) })),
  };
}

/** The specializations the need is about (most specific only, weighted) and the certifications it names. */
function conceptsOf(need: Need, reading: ReturnType<typeof readNeed>): Pick<MatchContext, 'concepts' | 'namedCertifications'> {
  const headline = new Set([...(need.specializations ?? []), ...readNeed(need.title).specializations.map((concept) => concept.id)]);
  const ids = mostSpecific([...(need.specializations ?? []), ...reading.specializations.map((concept) => concept.id)]);
  const broad = (id: string) => specializations.some((entry) => entry.parentId === id);
  // The title's "organic" is the description's "EU organic" once a place narrows it.
  const inHeadline = (id: string) => ancestry(id).some((node) => headline.has(node.id));
  const concepts = ids.map((id) => ({ id, weight: (inHeadline(id) ? 2 : 1) * (broad(id) ? 0.5 : 1) }));
  const namedCertifications = [...new Set([...reading.certifications.map((concept) => concept.id), ...(need.certifications ?? [])])];
  return { concepts, namedCertifications };
}

/** Drops a concept when a more specific one under it is also named ("organic" beside "EU organic"). */
function mostSpecific(ids: string[]): string[] {
  const unique = [...new Set(ids)];
  const isAncestorOfAnother = (id: string) => unique.some((other) => other !== id && isUnder(other, id));
  return unique.filter((id) => !isAncestorOfAnother(id));
}

function isUnder(id: string, ancestor: string): boolean {
  for (let node = findSpecialization(id); node?.parentId; node = findSpecialization(node.parentId)) if (node.parentId === ancestor) return true;
  return false;
}

/** Fairness within each group of equal gaps, never across them. */
function spreadByMissing<T extends { id: string; score: number; missing: number }>(ranked: T[], exposureOf: (id: string) => number): T[] {
  const groups = new Map<number, T[]>();
  for (const item of ranked) groups.set(item.missing, [...(groups.get(item.missing) ?? []), item]);
  return [...groups.values()].flatMap((group) => spreadFairly(group, exposureOf));
}

async function rerank<T extends Suggestion & { id: string; missing: number }>(signals: SemanticSignals, needText: string, ranked: T[], ms: number): Promise<{ ranked: T[] } | { failed: string }> {
  const top = ranked.slice(0, RERANK_TOP);
  const outcome = await within(
    () =>
      signals.rerank!(
        needText,
        top.map((item) => ({ id: item.id, summary: summary(item.expert) })),
      ),
    ms,
  );
  if ('failed' in outcome) return outcome;
  const verdicts = new Map(outcome.value.map((verdict) => [verdict.id, verdict]));
  const blended = top.map((item) => {
    const verdict = verdicts.get(item.id);
    if (!verdict) return item;
    return { ...item, score: (1 - RERANK_SHARE) * item.score + RERANK_SHARE * verdict.score, reasons: [...item.reasons, verdict.explanation] };
  });
  blended.sort((a, b) => a.missing - b.missing || b.score - a.score);
  return { ranked: [...blended, ...ranked.slice(RERANK_TOP)] };
}

/** What a re-ranking model reads about an expert: public profile facts only. */
function summary(expert: IndexedExpert): string {
  const areas = expert.experience.map((entry) => `${findSpecialization(entry.id)?.name} (${entry.years} years)`).join(', ');
  return `${expert.headline}. ${areas}. Certifications: ${expert.certificationIds.join(', ') || 'none'}. Languages: ${expert.languages.join(', ')}. Based in ${expert.country}.`;
}

/** Every suggestion says why: its candidate source is the reason of last resort. */
function withReason(item: Suggestion, context: MatchContext): string[] {
  if (item.reasons.length) return item.reasons;
  if ((context.text.get(item.expert.id) ?? 0) > 0) return ['profile shares words with your request'];
  return ['profile is related in meaning to your request'];
}
