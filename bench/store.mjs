// The embedded document store against raw better-sqlite3 doing the same work, in the same run.
//   npm run build && node bench/store.mjs        (BENCH_DOCS=20000 for a quicker run)
// Loads 100,000 expert-like documents (name, headline, bio, country, rate, specializations, a 64-dim vector)
// into the adapter and into hand-written tables (plain columns, a composite index, FTS5, vec0), then times point
// reads, upserts, a filtered sorted page of 20, a text search and a vector top-10. Rounds alternate between the
// two so drift hits both; the ratio is the adapter's median over raw's.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as sqliteVec from 'sqlite-vec';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { SqliteDocumentStore } = require(path.join(root, 'dist/shared/adapters/document-store/sqlite/sqlite-document-store.js'));

const DOCS = Number(process.env.BENCH_DOCS ?? 100_000);
const DIMENSIONS = 64;
const TENANTS = 500;
const ROUNDS = 5;
/** Operations per round for each side (cheap operations get more samples). */
const PER_ROUND = { read: 400, upsert: 200, page: 100, text: 20, vector: 12 };

// Deterministic data (mulberry32), so every run measures the same documents.
let seed = 0x5eed;
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(random() * list.length)];
const pickSome = (list, min, max) => [...new Set(Array.from({ length: min + Math.floor(random() * (max - min + 1)) }, () => pick(list)))];

const FIRST = ['Dana', 'Yossi', 'Maria', 'Li', 'Ahmed', 'Sofia', 'Kenji', 'Olivia', 'Noa', 'Lucas', 'Amara', 'Ivan', 'Chloe', 'Omar', 'Priya'];
const LAST = ['Levi', 'Cohen', 'Garcia', 'Chen', 'Haddad', 'Rossi', 'Sato', 'Smith', 'Mizrahi', 'Silva', 'Okafor', 'Petrov', 'Martin', 'Nasser', 'Iyer'];
const COUNTRIES = ['IL', 'US', 'DE', 'FR', 'NL', 'GB', 'IT', 'ES', 'JP', 'IN', 'BR', 'CA', 'AU', 'MX', 'PL', 'TR', 'ZA', 'KR', 'SE', 'DK'];
const SPECIALIZATIONS = [
  'HACCP',
  'FSMA',
  'BRCGS',
  'SQF',
  'IFS',
  'organic',
  'kosher',
  'halal',
  'allergens',
  'labelling',
  'shelf life',
  'cold chain',
  'sensory',
  'GMP',
  'supplier audits',
  'FDA registration',
  'novel food',
  'traceability',
  'sanitation',
  'pest control',
];
const PRODUCTS = ['dairy', 'bakery', 'meat', 'poultry', 'seafood', 'confectionery', 'beverage', 'snack', 'frozen food', 'produce', 'spice', 'infant formula', 'olive oil', 'coffee', 'plant-based'];
const ROLES = ['quality manager', 'food safety lead', 'regulatory consultant', 'lead auditor', 'plant manager', 'technologist', 'compliance officer'];
const VERBS = ['built', 'ran', 'audited', 'rewrote', 'certified', 'trained teams on', 'validated', 'led'];
const TOPICS = [
  'HACCP plans',
  'preventive controls',
  'allergen programmes',
  'label reviews',
  'supplier approval',
  'recall drills',
  'environmental monitoring',
  'kosher supervision',
  'halal certification',
  'organic conversion',
  'shelf life studies',
  'cold chain mapping',
];

/** One unit vector per specialization: an expert's embedding sits near the mean of theirs. */
const centroids = SPECIALIZATIONS.map(() => normalize(Array.from({ length: DIMENSIONS }, () => random() - 0.5)));
function normalize(vector) {
  const length = Math.hypot(...vector);
  return vector.map((x) => x / length);
}
function embed(specializations) {
  const sum = Array(DIMENSIONS).fill(0);
  for (const name of specializations) centroids[SPECIALIZATIONS.indexOf(name)].forEach((x, i) => (sum[i] += x));
  return normalize(sum.map((x) => x + (random() - 0.5) * 0.3));
}

function expert(i) {
  const specializations = pickSome(SPECIALIZATIONS, 2, 4);
  const country = pick(COUNTRIES);
  const sentences = Array.from(
    { length: 3 + Math.floor(random() * 3) },
    () => `${pick(['Has', 'As a', 'Most recently'])} ${pick(ROLES)} ${pick(VERBS)} ${pick(TOPICS)} for ${pick(PRODUCTS)} producers in ${country}.`,
  );
  return {
    id: `expert-${i}`,
    tenant: `t${i % TENANTS}`,
    name: `${pick(FIRST)} ${pick(LAST)}`,
    headline: `${specializations[0]} ${pick(ROLES)} for ${pick(PRODUCTS)}`,
    bio: sentences.join(' '),
    country,
    rate: 50 + Math.floor(random() * 350),
    specializations,
    embedding: embed(specializations),
  };
}

// ---- the raw baseline: what one would write by hand for the same queries --------------------------------------

function openRaw(file) {
  const db = new Database(file);
  sqliteVec.load(db);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`
    CREATE TABLE experts (seq INTEGER PRIMARY KEY, pk TEXT NOT NULL, id TEXT NOT NULL, country TEXT, rate REAL, doc TEXT NOT NULL, UNIQUE (pk, id));
    CREATE INDEX experts_by_country_rate ON experts (country, rate DESC, id DESC);
    CREATE VIRTUAL TABLE experts_fts USING fts5(headline, bio, specializations, content='', contentless_delete=1, tokenize='porter unicode61 remove_diacritics 2');
    CREATE VIRTUAL TABLE experts_vec USING vec0(embedding float[${DIMENSIONS}] distance_metric=cosine);`);
  const statements = {
    find: db.prepare('SELECT seq FROM experts WHERE pk = ? AND id = ?').pluck(),
    insert: db.prepare('INSERT INTO experts (pk, id, country, rate, doc) VALUES (?, ?, ?, ?, ?)'),
    remove: db.prepare('DELETE FROM experts WHERE seq = ?'),
    ftsInsert: db.prepare('INSERT INTO experts_fts (rowid, headline, bio, specializations) VALUES (?, ?, ?, ?)'),
    ftsRemove: db.prepare('DELETE FROM experts_fts WHERE rowid = ?'),
    vecInsert: db.prepare('INSERT INTO experts_vec (rowid, embedding) VALUES (?, ?)'),
    vecRemove: db.prepare('DELETE FROM experts_vec WHERE rowid = ?'),
    read: db.prepare('SELECT doc FROM experts WHERE pk = ? AND id = ?').pluck(),
    page: db.prepare('SELECT doc FROM experts WHERE country = ? ORDER BY rate DESC, id DESC LIMIT 20').pluck(),
    text: db.prepare('SELECT e.doc, -bm25(experts_fts) AS score FROM experts_fts JOIN experts e ON e.seq = experts_fts.rowid WHERE experts_fts MATCH ? ORDER BY score DESC LIMIT 10'),
    knn: db.prepare('SELECT e.doc, k.distance FROM (SELECT rowid, distance FROM experts_vec WHERE embedding MATCH ? AND k = 10) k JOIN experts e ON e.seq = k.rowid ORDER BY k.distance'),
  };
  const put = (doc) => {
    const existing = statements.find.get(doc.tenant, doc.id);
    if (existing !== undefined) {
      statements.remove.run(existing);
      statements.ftsRemove.run(existing);
      statements.vecRemove.run(existing);
    }
    const seq = statements.insert.run(doc.tenant, doc.id, doc.country, doc.rate, JSON.stringify(doc)).lastInsertRowid;
    statements.ftsInsert.run(seq, doc.headline, doc.bio, doc.specializations.join(' '));
    statements.vecInsert.run(BigInt(seq), Buffer.from(new Float32Array(doc.embedding).buffer));
  };
  return {
    db,
    load: db.transaction((docs) => docs.forEach(put)),
    upsert: db.transaction(put),
    read: (tenant, id) => JSON.parse(statements.read.get(tenant, id)),
    page: (country) => statements.page.all(country).map((doc) => JSON.parse(doc)),
    text: (query) => statements.text.all(query).map((row) => ({ document: JSON.parse(row.doc), score: row.score })),
    vector: (vector) => statements.knn.all(JSON.stringify(vector)).map((row) => ({ document: JSON.parse(row.doc), score: 1 - row.distance })),
  };
}

/** The user's words, quoted and OR-ed, as the adapter does. */
const ftsQuery = (text) =>
  text
    .toLowerCase()
    .match(/[\p{L}\p{N}\p{M}]+/gu)
    .map((word) => `"${word}"`)
    .join(' OR ');

// ---- measurement ----------------------------------------------------------------------------------------------

const percentile = (samples, p) => [...samples].sort((a, b) => a - b)[Math.min(samples.length - 1, Math.floor(samples.length * p))];

async function time(samples, operation) {
  const start = process.hrtime.bigint();
  await operation();
  samples.push(Number(process.hrtime.bigint() - start) / 1e6);
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'store-bench-'));
  try {
    console.log(`Generating ${DOCS.toLocaleString('en')} documents…`);
    const docs = Array.from({ length: DOCS }, (_, i) => expert(i));

    const store = SqliteDocumentStore.open(path.join(dir, 'adapter.sqlite'));
    const container = await store.container({
      name: 'experts',
      partitionKey: 'tenant',
      // The same index as the raw table's: (country, rate desc).
      compositeIndexes: [
        [
          { path: 'country', order: 'asc' },
          { path: 'rate', order: 'desc' },
        ],
      ],
      textFields: ['headline', 'bio', 'specializations'],
      vector: { path: 'embedding', dimensions: DIMENSIONS, distance: 'cosine' },
    });
    const raw = openRaw(path.join(dir, 'raw.sqlite'));

    // Bulk load in the same transactions on both sides: the adapter's unit, a batch of up to 100 in one partition.
    const batches = [...groupBy(docs, (doc) => doc.tenant)].flatMap(([tenant, group]) =>
      Array.from({ length: Math.ceil(group.length / 100) }, (_, i) => ({ tenant, docs: group.slice(i * 100, i * 100 + 100) })),
    );
    let start = performance.now();
    for (const batch of batches)
      await container.batch(
        batch.tenant,
        batch.docs.map((document) => ({ op: 'create', document })),
      );
    const adapterLoad = performance.now() - start;
    start = performance.now();
    for (const batch of batches) raw.load(batch.docs);
    const rawLoad = performance.now() - start;

    const samples = Object.fromEntries(Object.keys(PER_ROUND).map((name) => [name, { adapter: [], raw: [] }]));
    const TEXT_QUERIES = [
      'haccp dairy audit',
      'kosher meat supervision',
      'shelf life bakery',
      'allergen labelling snack',
      'cold chain seafood',
      'organic olive oil',
      'halal poultry certification',
      'supplier approval coffee',
    ];
    const workloads = {
      read: () => {
        const doc = pick(docs);
        return { adapter: () => container.read(doc.tenant, doc.id), raw: () => raw.read(doc.tenant, doc.id) };
      },
      upsert: () => {
        const doc = { ...pick(docs), rate: 50 + Math.floor(random() * 350) };
        return { adapter: () => container.upsert(doc), raw: () => raw.upsert(doc) };
      },
      page: () => {
        const country = pick(COUNTRIES);
        const query = { where: { field: 'country', op: 'eq', value: country }, orderBy: [{ field: 'country' }, { field: 'rate', direction: 'desc' }], limit: 20 };
        return { adapter: () => container.query(query), raw: () => raw.page(country) };
      },
      text: () => {
        const text = pick(TEXT_QUERIES);
        return { adapter: () => container.search({ text, limit: 10 }), raw: () => raw.text(ftsQuery(text)) };
      },
      vector: () => {
        const vector = normalize(pick(docs).embedding.map((x) => x + (random() - 0.5) * 0.1));
        return { adapter: () => container.search({ vector, limit: 10 }), raw: () => raw.vector(vector) };
      },
    };

    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, count] of Object.entries(PER_ROUND)) {
        for (let i = 0; i < count; i++) {
          const { adapter, raw: baseline } = workloads[name]();
          const order = (round + i) % 2 === 0 ? ['adapter', 'raw'] : ['raw', 'adapter'];
          for (const side of order) await time(samples[name][side], side === 'adapter' ? adapter : baseline);
        }
      }
    }

    const rows = [
      ['bulk load', `${(adapterLoad / 1000).toFixed(1)} s`, '', `${(rawLoad / 1000).toFixed(1)} s`, '', (adapterLoad / rawLoad).toFixed(2)],
      ...Object.entries(samples).map(([name, { adapter, raw: baseline }]) => {
        const [am, ap, rm, rp] = [percentile(adapter, 0.5), percentile(adapter, 0.95), percentile(baseline, 0.5), percentile(baseline, 0.95)];
        return [LABELS[name], ms(am), ms(ap), ms(rm), ms(rp), (am / rm).toFixed(2)];
      }),
    ];
    printTable(['operation', 'adapter p50', 'adapter p95', 'raw p50', 'raw p95', 'ratio p50'], rows);
    console.log(`\n${DOCS.toLocaleString('en')} documents, ${ROUNDS} alternating rounds; ratio = adapter median / raw median.`);
    await store.close();
    raw.db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const LABELS = { read: 'point read', upsert: 'upsert', page: 'filtered sorted page (20)', text: 'text search (top 10)', vector: 'vector top 10' };
const ms = (value) => `${value < 1 ? value.toFixed(3) : value.toFixed(2)} ms`;

function groupBy(items, key) {
  const groups = new Map();
  for (const item of items) {
    if (!groups.has(key(item))) groups.set(key(item), []);
    groups.get(key(item)).push(item);
  }
  return groups;
}

function printTable(header, rows) {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  console.log(`\n${line(header)}\n${widths.map((width) => '-'.repeat(width)).join('  ')}`);
  for (const row of rows) console.log(line(row));
}

await main();
