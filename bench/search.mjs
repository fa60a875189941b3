// npm run bench:search — search through the host over seeded experts, next to the same queries
// run directly on the store, in one run:
//   1. Seeds BENCH_EXPERTS (default 50,000) experts with `npm run seed`'s script into a fresh data dir.
//   2. Starts the real app on the local host and offers a mix at a fixed rate for BENCH_SECONDS
//      (an open loop: requests leave on schedule, each timed to the end of its answer; p50/p95/p99),
//      then as fast as autocannon's closed loop will go (throughput):
//      search at BENCH_RATE (default 500 requests/s), autocomplete at BENCH_COMPLETE_RATE (200),
//      suggest-experts signed in as a client at BENCH_SUGGEST_RATE (20).
//   3. Copies the same searchable experts into a store container with a full-text index (SQLite
//      FTS5 here, the Cosmos full-text policy in Azure) and runs the same mix on the store
//      directly, in process, one query at a time: the store's own latency, no HTTP at all.
// The mix is weighted like real traffic (a few popular searches, a long tail: Zipf), from a fixed
// seed, and includes filters, sorts and second pages; a quarter of the requests are queries never
// seen before, so the index's memory of recent results cannot answer them. Results are printed as a Markdown table.
import autocannon from 'autocannon';
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const experts = Number(process.env.BENCH_EXPERTS ?? 50_000);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const rate = Number(process.env.BENCH_RATE ?? 500);
// Searches are the bulk of traffic; suggestions come as people type, matching when a need is posted.
const completeRate = Number(process.env.BENCH_COMPLETE_RATE ?? 200);
const suggestRate = Number(process.env.BENCH_SUGGEST_RATE ?? 20);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const storeSamples = Number(process.env.BENCH_STORE_SAMPLES ?? 100);
// BENCH_DATA_DIR reuses a pool seeded by an earlier run (seeding 50,000 takes minutes).
const reused = process.env.BENCH_DATA_DIR;
const dataDir = reused ?? mkdtempSync(path.join(tmpdir(), 'bench-search-'));

const { toSearchable } = require('../dist/shared/domain/search/searchable-expert.js');
const { normalize } = require('../dist/shared/domain/search/need-reader.js');
const { specializations, certifications } = require('../dist/shared/domain/experts/taxonomy.js');
const { SqliteDocumentStore } = require('../dist/shared/adapters/document-store/sqlite/sqlite-document-store.js');
const { expertProfiles, expertServices } = require('../dist/shared/domain/experts/containers.js');

// A small deterministic generator (mulberry32), so every run offers the same mix.
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks items with Zipf weights (the first most often). */
function zipf(items, seed) {
  const next = random(seed);
  const weights = items.map((_, rank) => 1 / (rank + 1));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  return () => {
    let point = next() * total;
    for (let at = 0; at < items.length; at++) if ((point -= weights[at]) <= 0) return items[at];
    return items.at(-1);
  };
}

// ---- the query mix: [search params, store equivalent] ----
const phrases = [
  'salmonella ready to eat',
  'FSVP importer',
  'allergen labelling',
  'food safety culture',
  'organic certification EU',
  'kosher dairy',
  'halal export Malaysia',
  'BRCGS audit',
  'SQF',
  'listeria environmental monitoring',
  'HACCP seafood',
  'FSMA 204 traceability',
  'Prop 65',
  'acidified foods process authority',
  'shelf life study',
  'nutrition facts panel',
  'supplier approval',
  'recall plan',
  'sanitation validation',
  'gluten free',
];
const words = [...specializations.map((entry) => entry.name), ...specializations.flatMap((entry) => entry.acronyms), ...certifications.flatMap((entry) => entry.acronyms)];
const countries = ['US', 'MX', 'DE', 'GB', 'ES', 'FR', 'IN', 'BR', 'CA', 'IT'];
const languages = ['en', 'es', 'de', 'fr', 'pt', 'it'];
const pick = random(7);
const any = (list) => list[Math.floor(pick() * list.length)];
const mix = [];
for (let at = 0; at < 300; at++) {
  const roll = pick();
  const q = any(pick() < 0.5 ? phrases : words);
  if (roll < 0.55) mix.push({ q });
  else if (roll < 0.75) mix.push({ q, country: any(countries) });
  else if (roll < 0.85) mix.push({ q, languages: any(languages), minRating: '4' });
  else if (roll < 0.93) mix.push({ country: any(countries), sort: 'rating' });
  else mix.push({ languages: any(languages), currency: 'USD', maxRate: String(80 + Math.floor(pick() * 120)), sort: 'rate' });
}
const searchPath = (params) => `/api/v1/search/experts?${new URLSearchParams({ ...params, limit: '20' })}`;
const prefixes = [...new Set([...phrases, ...words].flatMap((text) => [2, 3, 4, 6].map((length) => text.slice(0, length))))].filter((text) => text.trim().length >= 2);
const typos = ['hacp', 'fmsa', 'kosehr', 'allergne', 'salmonela', 'organc', 'brcsg'];
const completions = [...prefixes, ...typos];

// Buyer needs for the matcher (POST /api/v1/search/suggest-experts), without any AI.
const needs = [
  {
    title: 'Salmonella positive in our ready-to-eat plant',
    description: 'Environmental monitoring found Salmonella on a drain in the RTE packing room. We need root cause analysis and a sampling plan.',
    industry: 'snacks',
  },
  { title: 'FSVP audit for a cheese importer', description: 'FDA announced an FSVP inspection; we need a qualified individual to review supplier verification records.', jurisdictions: ['US'] },
  { title: 'EU organic certification for a bakery line', description: 'Organic sourdough line in Germany, Regulation 2018/848.', languages: ['de'], industry: 'bakery' },
  { title: 'Kosher certification for our dairy', description: 'Yogurt plant; ingredient approval and the agency visit.', industry: 'dairy' },
  { title: 'Halal certification to export to Malaysia', description: 'Frozen chicken products, JAKIM recognised body.', budget: { amount: 120, currency: 'USD' } },
  { title: 'Allergen labelling review for the US market', description: 'Nutrition facts and allergen statements for snack bars sold in the US.', languages: ['en'] },
  { title: 'BRCGS audit preparation', description: 'First BRCGS Food Safety audit in three months; gap analysis and mock audit.', country: 'GB' },
  { title: 'FSMA 204 traceability plan', description: 'Leafy greens packer needs key data elements and critical tracking events.', jurisdictions: ['US'] },
  { title: 'HACCP plan for a seafood processor', description: 'Shrimp processing, seafood HACCP, histamine controls.', industry: 'seafood', languages: ['es'] },
  { title: 'Process authority for acidified foods', description: 'Salsa in glass jars, LACF / acidified foods filing with FDA.', budget: { amount: 200, currency: 'USD' } },
];

// ---- 1. seed ----
let started = performance.now();
const seeded = reused
  ? { status: 0 }
  : spawnSync(process.execPath, [path.join(root, 'scripts/seed.mjs'), '--experts', String(experts), '--seed', '7', '--reviews', 'none', '--data-dir', dataDir], { cwd: root, encoding: 'utf8' });
if (seeded.status !== 0) throw new Error(`seed failed: ${seeded.stderr}`);
if (!reused) console.log(`seeded ${experts} experts in ${((performance.now() - started) / 1000).toFixed(0)} s`);

// ---- 2. through the host ----
const spawnedAt = performance.now();
let mark = () => {};
const host = await new Promise((resolve, reject) => {
  // BENCH_HOST_FLAGS: Node flags for the host (such as --trace-gc, which NODE_OPTIONS refuses).
  const flags = (process.env.BENCH_HOST_FLAGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...flags, path.join(root, 'shared/local-host/dist/cli.js'), '--app', root, '--port', '0', '--no-azurite', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Rate limits would stop one client sending 500 requests a second; the limiter's own cost stays in.
    env: {
      ...process.env,
      LOCAL_HOST_LOG_LEVEL: 'warning',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PUBLIC_READ: '999999/1',
      RATE_LIMIT_READ: '999999/1',
      RATE_LIMIT_WRITE: '999999/1',
      RATE_LIMIT_EXPENSIVE: '999999/1',
      RATE_LIMIT_CREDENTIALS: '999999/1',
    },
  });
  let output = '';
  // BENCH_HOST_LOG=<file> keeps the host's output (with BENCH_HOST_FLAGS=--trace-gc, its garbage collections).
  if (process.env.BENCH_HOST_LOG) {
    const log = createWriteStream(process.env.BENCH_HOST_LOG);
    child.stdout.pipe(log);
    // Each fixed-rate phase is marked in the log, in ms since the host was spawned (as --trace-gc counts).
    mark = (text) => log.write(`--- ${Math.round(performance.now() - spawnedAt)} ms: ${text}\n`);
  }
  child.stdout.on('data', (chunk) => {
    output += chunk;
    const match = /Host status: (http:\/\/[^/\s]+)\//.exec(output);
    if (match)
      resolve({
        baseUrl: match[1],
        pid: child.pid,
        upAt: performance.now(),
        stop: () =>
          new Promise((done) => {
            child.once('exit', done);
            child.kill('SIGTERM');
          }),
      });
  });
  child.stderr.on('data', (chunk) => (output += chunk));
  child.once('exit', (code) => reject(new Error(`host exited ${code}: ${output}`)));
});

// A failed run must not leave a host behind holding a gigabyte of memory.
process.on('exit', () => {
  try {
    process.kill(host.pid, 'SIGKILL');
  } catch {
    // Already stopped.
  }
});

// A client account: suggestions are for signed-in buyers.
const buyer = { email: 'bench-buyer@example.com', password: 'Bench-Marsh-Harbour-93' };
const postJson = (route, body) => fetch(`${host.baseUrl}/api/${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
let signedIn = await postJson('v1/auth/register', { ...buyer, displayName: 'Bench buyer', accountType: 'client' });
// A reused pool has the account already.
if (signedIn.status === 409) signedIn = await postJson('v1/auth/login', buyer);
if (!signedIn.ok) throw new Error(`sign-in: ${signedIn.status} ${await signedIn.text()}`);
const { accessToken } = await signedIn.json();

// The instance builds its indexes (every profile and every service) as it starts; the first
// search waits for that build, so the time from start-up to its answer is the build's.
const first = await fetch(`${host.baseUrl}${searchPath({ q: 'haccp' })}`);
if (!first.ok) throw new Error(`first search: ${first.status} ${await first.text()}`);
const indexSeconds = (performance.now() - host.upAt) / 1000;
// Second pages: the cursor of a popular query's first page.
for (const params of mix.slice(0, 40)) {
  const page = await (await fetch(`${host.baseUrl}${searchPath(params)}`)).json();
  if (page.nextCursor && pick() < 0.3) mix.push({ ...params, cursor: page.nextCursor });
}

const percentile = (sorted, share) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))];
const summary = (times) => {
  const sorted = [...times].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99) };
};

/** Three requests in four from the popular mix, one a query nobody asked before (the long tail). */
function load(paths, unique, seed, options) {
  const popular = zipf(paths, seed);
  const coin = random(seed);
  const next = () => (coin() < TAIL_SHARE ? unique() : popular());
  return drive(() => ({ path: next() }), options);
}

/** Runs autocannon with each request from `next` (path, and method and body when posting), recording every response time. */
function drive(next, options) {
  return options.rate ? paced(next, options.rate) : flatOut(next, options);
}

/** Autocannon's closed loop: each connection sends its next request when the last answered. */
function flatOut(next, options) {
  const times = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon({ url: host.baseUrl, connections, duration: seconds, ...options, requests: [{ setupRequest: (request) => ({ ...request, ...next() }) }] }, (error, result) =>
      error ? reject(error) : result.non2xx || result.errors ? reject(new Error(`${result.non2xx} non-2xx, ${result.errors} errors`)) : resolve({ rps: result.requests.average, ...summary(times) }),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => times.push(responseTime));
  });
}

/**
 * An open loop at a fixed rate: requests leave on schedule whether or not earlier ones have
 * answered, each timed from sending to the end of its answer. (Autocannon's own fixed-rate mode
 * reported p97.5 of 184 ms where this measured 4 ms for the same requests.)
 */
async function paced(next, rate) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const times = [];
  let failures = 0;
  const send = () =>
    new Promise((resolve) => {
      const { method = 'GET', path: requestPath, headers = {}, body } = next();
      const begun = performance.now();
      const request = http.request(`${host.baseUrl}${requestPath}`, { method, headers, agent }, (response) => {
        response.resume();
        response.on('end', () => {
          if (response.statusCode >= 400) failures += 1;
          times.push(performance.now() - begun);
          resolve();
        });
      });
      request.on('error', () => ((failures += 1), resolve()));
      request.end(body);
    });
  const total = rate * seconds;
  // The load generator's own full collection in the middle of a phase would be timed as the
  // host's latency: start each phase on a collected heap (npm run bench:search passes --expose-gc).
  globalThis.gc?.();
  mark(`${rate} req/s from`);
  const inFlight = [];
  const started = performance.now();
  await new Promise((done) => {
    const tick = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
      while (inFlight.length < due) inFlight.push(send());
      if (inFlight.length >= total) {
        clearInterval(tick);
        done();
      }
    }, 1);
  });
  await Promise.all(inFlight);
  mark(`${rate} req/s until`);
  agent.destroy();
  if (failures) throw new Error(`${failures} failed requests at ${rate}/s`);
  return { rps: total / ((performance.now() - started) / 1000), ...summary(times) };
}

const TAIL_SHARE = 0.25;
let tail = 0;
const searchPaths = mix.map(searchPath);
// A pair of words and a rating floor never seen before: always a miss for the recent-results memory.
const uniqueSearch = () => searchPath({ q: `${any(words)} ${any(phrases).split(' ')[0]}`, minRating: (3 + (++tail % 100000) / 100000).toFixed(5) });
const uniqueCompletion = () => `/api/v1/search/autocomplete?${new URLSearchParams({ q: `${any(words).slice(0, 3)}${String.fromCharCode(97 + (++tail % 26))}` })}`;
const completionPaths = completions.map((text) => `/api/v1/search/autocomplete?${new URLSearchParams({ q: text })}`);
// Warm-up (JIT, and the recent-results memory fills as it would in use).
await load(searchPaths, uniqueSearch, 1, { duration: 3 });
await load(completionPaths, uniqueCompletion, 1, { duration: 3 });
// Each need asked as is, or (one in four) with a deadline, so requests differ.
const needBodies = needs.map((need) => JSON.stringify(need));
const suggest = (seed, options) => {
  const pickNeed = zipf(needBodies, seed);
  const coin = random(seed);
  const deadline = new Date(Date.now() + 21 * 86_400_000).toISOString().slice(0, 10);
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` };
  return drive(() => {
    const body = pickNeed();
    return { method: 'POST', path: '/api/v1/search/suggest-experts', headers, body: coin() < TAIL_SHARE ? JSON.stringify({ ...JSON.parse(body), deadline }) : body };
  }, options);
};
await suggest(1, { duration: 3 });
const results = {
  suggest: { fixed: await suggest(2, { rate: suggestRate }), max: await suggest(3, {}) },
  search: { fixed: await load(searchPaths, uniqueSearch, 2, { rate }), max: await load(searchPaths, uniqueSearch, 3, {}) },
  autocomplete: { fixed: await load(completionPaths, uniqueCompletion, 2, { rate: completeRate }), max: await load(completionPaths, uniqueCompletion, 3, {}) },
};
// Resident memory of the host with every index built (Linux).
const rssMb = Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${host.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);
await host.stop();

// ---- 3. the same queries on the store ----
const store = SqliteDocumentStore.open(path.join(dataDir, 'store.sqlite'));
const profiles = await store.container(expertProfiles);
const searchable = await store.container({
  name: 'bench-searchable-experts',
  partitionKey: 'id',
  indexes: ['country', 'rate.currency', 'rate.amount', 'rating.average', 'rating.bayesian', 'nameKey'],
  textFields: ['name', 'headline', 'expertise', 'bio', 'services'],
});
started = performance.now();
/** Every change of a container, page by page. */
async function* everyChange(container) {
  let position;
  for (;;) {
    const page = await container.changesSince(position, { limit: 1000 });
    yield* page.items;
    position = page.continuation;
    if (page.items.length < 1000) break;
  }
}
// Expert search matches the words of the experts' published services too.
const servicesText = new Map();
for await (const service of everyChange(await store.container(expertServices))) {
  if (service.published) servicesText.set(service.expertId, `${servicesText.get(service.expertId) ?? ''} ${service.title} ${service.description}`);
}
for await (const profile of everyChange(profiles)) {
  if (profile.published && profile.verification.status === 'verified') {
    await searchable.upsert({ ...toSearchable(profile, new Date().toISOString().slice(0, 10), servicesText.get(profile.id)), nameKey: normalize(profile.name) });
  }
}
const copySeconds = (performance.now() - started) / 1000;

/** The store's version of a search: full-text rank or an indexed sort, the same filters, a page of 20 and the total. */
async function onStore(params) {
  const where = [];
  if (params.country) where.push({ field: 'country', op: 'eq', value: params.country });
  if (params.languages) where.push({ field: 'languages', op: 'contains', value: params.languages });
  if (params.minRating) where.push({ field: 'rating.average', op: 'gte', value: Number(params.minRating) });
  if (params.currency) where.push({ field: 'rate.currency', op: 'eq', value: params.currency });
  if (params.maxRate) where.push({ field: 'rate.amount', op: 'lte', value: Number(params.maxRate) });
  const condition = where.length ? { and: where } : undefined;
  if (params.q) return searchable.search({ text: params.q, ...(condition ? { where: condition } : {}), limit: 20 });
  const orderBy = params.sort === 'rate' ? [{ field: 'rate.amount' }] : [{ field: 'rating.bayesian', direction: 'desc' }];
  await searchable.count(condition ? { where: condition } : {});
  return searchable.query({ ...(condition ? { where: condition } : {}), orderBy, limit: 20 });
}
const timeEach = async (draw, run) => {
  const times = [];
  for (let at = 0; at < storeSamples; at++) {
    const item = draw();
    const begun = performance.now();
    await run(item);
    times.push(performance.now() - begun);
  }
  return summary(times);
};
const storeResults = {
  // The store's nearest thing to matching: its full-text ranking of the need's words.
  suggest: await timeEach(zipf(needs, 2), (need) => searchable.search({ text: `${need.title} ${need.description ?? ''}`, limit: 10 })),
  search: await timeEach(
    zipf(
      mix.filter((params) => !params.cursor),
      2,
    ),
    onStore,
  ),
  autocomplete: await timeEach(zipf(completions, 2), (text) => searchable.query({ where: { field: 'nameKey', op: 'startsWith', value: normalize(text) }, orderBy: [{ field: 'nameKey' }], limit: 8 })),
};
await store.close();

// ---- report ----
const ms = (value) => `${value.toFixed(1)} ms`;
console.log(
  `\n${experts} experts; expert, service and autocomplete indexes built at start-up, the first search answered ${indexSeconds.toFixed(1)} s after the host was up; host resident memory ${rssMb} MB; store copy for the baseline ${copySeconds.toFixed(0)} s\n`,
);
console.log('| endpoint | host at fixed rate: p50 / p95 / p99 (achieved req/s) | host flat out: req/s, p95 | store directly, one at a time: p50 / p95 / p99 | p95 store ÷ host |');
console.log('|---|---|---|---|---|');
for (const name of ['search', 'autocomplete', 'suggest']) {
  const { fixed, max } = results[name];
  const direct = storeResults[name];
  console.log(
    `| ${name} | ${ms(fixed.p50)} / ${ms(fixed.p95)} / ${ms(fixed.p99)} (${fixed.rps.toFixed(0)}) | ${max.rps.toFixed(0)}, ${ms(max.p95)} | ${ms(direct.p50)} / ${ms(direct.p95)} / ${ms(direct.p99)} | ${(direct.p95 / fixed.p95).toFixed(1)} |`,
  );
}
