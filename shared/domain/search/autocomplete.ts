import { certifications, specializations } from '../experts/taxonomy';
import { lowerBound } from './lower-bound';
import { normalize } from './need-reader';

export type SuggestionKind = 'specialization' | 'certification' | 'expert' | 'service';

export interface Suggestion {
  kind: SuggestionKind;
  /** The taxonomy id, expert id or service id. */
  id: string;
  label: string;
  score: number;
}

interface Entry {
  kind: SuggestionKind;
  ref: string;
  label: string;
  removed: boolean;
  /** For a service title: the services bearing it (one entry per title, however many offer it). */
  services?: Set<string>;
}

/** One way to reach an entry: a normalised label or alias, or its tail from a later word. */
interface Key {
  text: string;
  entry: Entry;
  weight: number;
}

const KIND_WEIGHT: Record<SuggestionKind, number> = { specialization: 1.2, certification: 1.1, service: 1, expert: 1 };
const ALIAS_WEIGHT = 0.8;
/** A match from a later word ("garcia" in "maria garcia") ranks a little below one from the start. */
const LATER_WORD_WEIGHT = 0.9;
const SLIP_WEIGHT = 0.6;
/** How many keys a prefix range yields at most: enough to rank, bounded for one-letter prefixes. */
const PREFIX_RANGE = 300;
const SLIP_RANGE = 20;
const SLIP_LETTERS = 'abcdefghijklmnopqrstuvwxyz0123456789 ';

/**
 * Keys in order, for prefix ranges by binary search. Additions wait in a pending list and are
 * merged on the next lookup (one sort for a bulk load, an insertion each for a trickle);
 * removed entries' keys are skipped, and swept out once they are a quarter of all keys.
 */
class PrefixTable {
  private keys: Key[] = [];
  private pending: Key[] = [];
  private removedKeys = 0;

  add(keys: Key[]): void {
    this.pending.push(...keys);
  }

  removed(count: number): void {
    this.removedKeys += count;
    if (this.removedKeys > this.keys.length / 4) {
      this.keys = this.keys.filter((key) => !key.entry.removed);
      this.pending = this.pending.filter((key) => !key.entry.removed);
      this.removedKeys = 0;
    }
  }

  /** Visits live keys starting with `prefix`, in order, at most `cap` of them. */
  visit(prefix: string, cap: number, visit: (key: Key) => void): void {
    this.merge();
    let seen = 0;
    for (let at = lowerBound(this.keys.length, (index) => this.keys[index]!.text < prefix); at < this.keys.length && seen < cap && this.keys[at]!.text.startsWith(prefix); at++) {
      if (this.keys[at]!.entry.removed) continue;
      visit(this.keys[at]!);
      seen += 1;
    }
  }

  private merge(): void {
    if (this.pending.length === 0) return;
    if (this.pending.length > 64) {
      this.keys = this.keys.concat(this.pending).sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
    } else {
      for (const key of this.pending)
        this.keys.splice(
          lowerBound(this.keys.length, (index) => this.keys[index]!.text < key.text),
          0,
          key,
        );
    }
    this.pending = [];
  }
}

/**
 * Suggestions as the user types, across the taxonomy, expert names and service titles: the
 * typed text as a prefix of a name, alias or any later word of them, and — from four
 * characters — the same with one slip (a missing, extra, wrong or swapped character: "hacp",
 * "fmsa"), ranked lower. The taxonomy has a table of its own, so the tens of thousands of
 * names never crowd it out of a short prefix's range.
 */
export class AutocompleteIndex {
  private readonly taxonomy = new PrefixTable();
  private readonly names = new PrefixTable();
  private readonly entries = new Map<string, { entry: Entry; keys: number }>();
  /** Each indexed service's title. */
  private readonly titleOf = new Map<string, string>();

  constructor() {
    for (const entry of specializations) this.add(this.taxonomy, { kind: 'specialization', ref: entry.id, label: entry.name, aliases: [...entry.synonyms, ...entry.acronyms] });
    for (const entry of certifications) this.add(this.taxonomy, { kind: 'certification', ref: entry.id, label: entry.name, aliases: [...entry.acronyms, entry.issuer] });
  }

  /** Adds or replaces an expert's name (with other names that find it) or a service's title. */
  put(item: { kind: 'expert' | 'service'; ref: string; label: string; aliases?: string[] }): void {
    this.remove(item.kind, item.ref);
    if (item.kind === 'expert') {
      this.add(this.names, item);
      return;
    }
    // Many services share a title: the title is indexed once, and knows its services.
    const key = `title:${item.label}`;
    if (!this.entries.has(key)) this.add(this.names, { kind: 'service', ref: item.ref, label: item.label }, key).services = new Set();
    this.entries.get(key)!.entry.services!.add(item.ref);
    this.titleOf.set(item.ref, item.label);
  }

  remove(kind: SuggestionKind, ref: string): void {
    if (kind !== 'service') return this.drop(`${kind}:${ref}`);
    const label = this.titleOf.get(ref);
    if (label === undefined) return;
    this.titleOf.delete(ref);
    const services = this.entries.get(`title:${label}`)!.entry.services!;
    services.delete(ref);
    if (services.size === 0) this.drop(`title:${label}`);
  }

  private drop(key: string): void {
    const found = this.entries.get(key);
    if (!found) return;
    found.entry.removed = true;
    this.entries.delete(key);
    this.names.removed(found.keys);
  }

  /**
   * The best suggestions; `visible` leaves out entries the public may not see now (a service of
   * a hidden expert). Services sharing a title are one suggestion, the title being what is typed.
   */
  suggest(query: string, limit = 10, visible: (suggestion: Suggestion) => boolean = () => true): Suggestion[] {
    const typed = normalize(query);
    if (!typed) return [];
    const best = new Map<Entry, number>();
    const score = (typedWeight: number) => (key: Key) => {
      // Shorter completions first: "fsma" ranks FSMA above "FSMA preventive controls".
      const value = typedWeight * key.weight * KIND_WEIGHT[key.entry.kind] * (1 / (1 + 0.02 * (key.text.length - typed.length)));
      if ((best.get(key.entry) ?? 0) < value) best.set(key.entry, value);
    };
    for (const table of [this.taxonomy, this.names]) table.visit(typed, PREFIX_RANGE, score(1));
    // Slips only when the text as typed finds too little (each of the ~200 variants is a lookup).
    if (typed.length >= 4 && best.size < limit) {
      for (const variant of oneSlip(typed)) for (const table of [this.taxonomy, this.names]) table.visit(variant, SLIP_RANGE, score(SLIP_WEIGHT));
    }
    // Best first; visibility is checked only until the page is full (a prefix can reach hundreds of services).
    const ranked = [...best].sort(([a, first], [b, second]) => second - first || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
    const suggestions: Suggestion[] = [];
    for (const [entry, value] of ranked) {
      if (suggestions.length === limit) break;
      const score = Math.round(value * 1000) / 1000;
      // A title stands for its first service the public may see.
      const candidates = entry.services ?? [entry.ref];
      for (const id of candidates) {
        const suggestion = { kind: entry.kind, id, label: entry.label, score };
        if (!visible(suggestion)) continue;
        suggestions.push(suggestion);
        break;
      }
    }
    return suggestions;
  }

  private add(table: PrefixTable, item: { kind: SuggestionKind; ref: string; label: string; aliases?: string[] }, key = `${item.kind}:${item.ref}`): Entry {
    const entry: Entry = { kind: item.kind, ref: item.ref, label: item.label, removed: false };
    const keys: Key[] = [];
    const phrases = [{ text: normalize(item.label), weight: 1 }, ...(item.aliases ?? []).map((alias) => ({ text: normalize(alias), weight: ALIAS_WEIGHT }))];
    for (const { text, weight } of phrases) {
      if (!text) continue;
      keys.push({ text, entry, weight });
      for (let at = text.indexOf(' '); at !== -1; at = text.indexOf(' ', at + 1)) keys.push({ text: text.slice(at + 1), entry, weight: weight * LATER_WORD_WEIGHT });
    }
    table.add(keys);
    this.entries.set(key, { entry, keys: keys.length });
    return entry;
  }
}

/** Every text one slip away: a character dropped, added, changed, or two neighbours swapped. */
function oneSlip(text: string): Set<string> {
  const variants = new Set<string>();
  for (let at = 0; at <= text.length; at++) {
    const [head, tail] = [text.slice(0, at), text.slice(at)];
    if (tail) variants.add(head + tail.slice(1));
    if (tail.length > 1) variants.add(head + tail[1] + tail[0] + tail.slice(2));
    for (const letter of SLIP_LETTERS) {
      variants.add(head + letter + tail);
      if (tail) variants.add(head + letter + tail.slice(1));
    }
  }
  variants.delete(text);
  // A leading space or a doubled one never starts a key.
  for (const variant of variants) if (variant.startsWith(' ') || variant.includes('  ')) variants.delete(variant);
  return variants;
}
