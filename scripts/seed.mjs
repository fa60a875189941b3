// npm run seed -- --experts 200 [--seed 42] [--data-dir .data]
// Writes deterministic synthetic experts (public: published and verified) into the store the app
// uses (the same settings as `npm start`). Re-running with the same seed rewrites the same
// experts; each is validated against the profile schema first. Runs on the built app.
import { allFakers, faker } from '@faker-js/faker';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { experts: { type: 'string', default: '200' }, seed: { type: 'string', default: '42' }, 'data-dir': { type: 'string' } } });
const count = Number(values.experts);
const seed = Number(values.seed);
if (!Number.isInteger(count) || count < 1 || count > 1_000_000) fail('--experts must be a whole number from 1 to 1000000');
if (!Number.isInteger(seed)) fail('--seed must be a whole number');

const { readLocalSettings, applySettingsToEnvironment } = require('../dist/shared/local-host/settings.js');
applySettingsToEnvironment(readLocalSettings(root).values);
process.env.LOCAL_HOST_DATA_DIR ??= path.resolve(values['data-dir'] ?? path.join(root, '.data'));

const { syntheticExpert } = require('../dist/shared/domain/experts/synthetic-experts.js');
const { profileInputSchema } = require('../dist/shared/domain/experts/profile-schema.js');
const { getExperts } = require('../dist/shared/experts-container.js');
const { getDocumentStore } = require('../dist/shared/container.js');

// One generator per locale, each seeded once, so names are the same on every run.
const locales = new Map();
const localized = (locale) => {
  if (!locales.has(locale)) {
    const instance = allFakers[locale] ?? faker;
    // Locales that share English names get different streams, so one name is not seeded everywhere.
    instance.seed([seed, ...Buffer.from(locale)]);
    locales.set(locale, instance);
  }
  return locales.get(locale);
};
faker.seed(seed);
const now = new Date(Date.UTC(2026, 0, 1));
const { profiles } = await getExperts();
const started = performance.now();
for (let index = 0; index < count; index++) {
  const profile = syntheticExpert(faker, localized, index, now);
  const { id: _id, published: _p, verification: _v, rating: _r, responsiveness: _rs, createdAt: _c, updatedAt: _u, ...input } = profile;
  const checked = profileInputSchema.safeParse(input);
  if (!checked.success) fail(`synthetic expert ${index} is invalid: ${checked.error.message}`);
  await profiles.upsert(profile);
}
await getDocumentStore().close();
console.log(`seeded ${count} experts (seed ${seed}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);

function fail(message) {
  console.error(message);
  process.exit(2);
}
