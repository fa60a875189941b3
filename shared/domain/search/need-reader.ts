import { countries } from 'countries-list';
import { certifications, specializations } from '../experts/taxonomy';

/**
 * Reads a buyer's free text with the taxonomy: which specializations and certifications it is
 * about (by name, synonym or acronym), and which jurisdictions it names or implies ("FDA" → US,
 * "Regulation 2018/848" → EU, "Mexico" → MX). Search expands queries with it; the matcher turns
 * it into requirements.
 */
export interface Concept {
  id: string;
  /** The words in the text that named it. */
  matched: string;
}

export interface NeedReading {
  specializations: Concept[];
  certifications: Concept[];
  jurisdictions: Concept[];
}

/** Lower case, accents off, punctuation to spaces; one space between words. */
export function normalize(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}/.]+/gu, ' ')
    .replace(/(?<!\d)[./]|[./](?!\d)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

interface Term {
  phrase: string;
  /** Acronyms that are also ordinary words ("GAP", "IT", "US") count only when written in capitals. */
  capitalsOnly: boolean;
  original: string;
  kind: keyof NeedReading;
  id: string;
}

const JURISDICTION_CUES: Record<string, string[]> = {
  US: ['fda', 'usda', 'fsma', 'fsis', 'cfr', 'united states', 'u.s.', 'usa', 'american'],
  EU: ['eu', 'european union', 'european', 'efsa', 'regulation 2018/848', 'regulation 1169/2011'],
  GB: ['uk', 'united kingdom', 'british', 'fsa'],
  CA: ['cfia', 'canadian', 'canada'],
  MX: ['mexican', 'senasica', 'cofepris'],
  DE: ['german'],
  FR: ['french'],
  ES: ['spanish'],
  IT: ['italian'],
  CN: ['chinese'],
  JP: ['japanese'],
  IN: ['indian', 'fssai'],
  BR: ['brazilian', 'anvisa'],
  AU: ['australian'],
  NZ: ['new zealand'],
};

const ORDINARY_WORDS = new Set([
  'gap',
  'ia',
  'ou',
  'rd',
  'us',
  'it',
  'in',
  'ca',
  'de',
  'es',
  'me',
  'or',
  'no',
  'at',
  'is',
  'to',
  'an',
  'as',
  'by',
  'do',
  'id',
  'la',
  'ma',
  'my',
  'of',
  'on',
  'so',
  'up',
  'we',
]);

function buildTerms(): Term[] {
  const terms: Term[] = [];
  const add = (kind: keyof NeedReading, id: string, original: string, isAcronym: boolean) => {
    const phrase = normalize(original);
    if (!phrase) return;
    terms.push({ phrase, capitalsOnly: isAcronym && ORDINARY_WORDS.has(phrase), original, kind, id });
  };
  for (const entry of specializations) {
    add('specializations', entry.id, entry.name, false);
    for (const synonym of entry.synonyms) add('specializations', entry.id, synonym, /^[A-Z0-9&-]{2,}$/.test(synonym));
    for (const acronym of entry.acronyms) add('specializations', entry.id, acronym, true);
  }
  for (const entry of certifications) {
    add('certifications', entry.id, entry.name, false);
    for (const acronym of entry.acronyms) add('certifications', entry.id, acronym, true);
  }
  for (const [code, cues] of Object.entries(JURISDICTION_CUES)) for (const cue of cues) add('jurisdictions', code, cue, true);
  for (const [code, country] of Object.entries(countries)) add('jurisdictions', code, country.name, false);
  // Longest phrases first, so "fsma 204" wins over "fsma".
  return terms.sort((a, b) => b.phrase.length - a.phrase.length);
}

const TERMS = buildTerms();

export function readNeed(text: string): NeedReading {
  const normalized = ` ${normalize(text)} `;
  const capitals = new Set(text.match(/\b[A-Z0-9&]{2,}\b/g) ?? []);
  const matches: { term: Term; start: number; end: number }[] = [];
  for (const term of TERMS) {
    if (term.capitalsOnly && !capitals.has(term.original.toUpperCase())) continue;
    const needle = ` ${term.phrase} `;
    for (let at = normalized.indexOf(needle); at !== -1; at = normalized.indexOf(needle, at + 1)) {
      matches.push({ term, start: at + 1, end: at + needle.length - 1 });
    }
  }
  // A phrase inside a longer match of the same kind is part of it ("FSMA" in "FSMA 204", "USDA" in
  // "USDA organic"); each kind reads the whole text, since "FDA" is both US regulation and a US cue.
  const within = (inner: (typeof matches)[number], outer: (typeof matches)[number]) =>
    outer !== inner && outer.term.kind === inner.term.kind && outer.start <= inner.start && inner.end <= outer.end && outer.end - outer.start > inner.end - inner.start;
  const reading: NeedReading = { specializations: [], certifications: [], jurisdictions: [] };
  for (const match of matches) {
    if (matches.some((other) => within(match, other))) continue;
    const list = reading[match.term.kind];
    if (!list.some((concept) => concept.id === match.term.id)) list.push({ id: match.term.id, matched: match.term.original });
  }
  narrowByJurisdiction(reading);
  return reading;
}

/**
 * A general area plus a place names the specific one: "organic" in the EU is EU organic,
 * "labelling" for the US is US labelling — when exactly one child of the area covers it.
 */
function narrowByJurisdiction(reading: NeedReading): void {
  const places = new Set(reading.jurisdictions.map((concept) => concept.id));
  if (places.size === 0) return;
  for (const concept of [...reading.specializations]) {
    const children = specializations.filter((entry) => entry.parentId === concept.id && entry.jurisdictions.some((code) => places.has(code)));
    const [child] = children;
    if (children.length === 1 && child && !reading.specializations.some((existing) => existing.id === child.id)) {
      reading.specializations.push({ id: child.id, matched: `${concept.matched} (${child.jurisdictions.join(', ')})` });
    }
  }
}
