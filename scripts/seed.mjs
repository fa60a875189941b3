// npm run seed -- --experts 200 [--seed 42] [--data-dir .data] [--settings local.settings.json]
// Writes deterministic synthetic experts (public: published and verified), their services and
// their reviews into the store the app uses (the same settings as `npm start`). Re-running with
// the same seed rewrites the same data; experts and services are validated against their input
// schemas first. Runs on the built app.
import { allFakers, en, faker, Faker } from '@faker-js/faker';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    experts: { type: 'string', default: '200' },
    seed: { type: 'string', default: '42' },
    'data-dir': { type: 'string' },
    settings: { type: 'string' },
    reviews: { type: 'string', default: 'all' },
  },
});
const count = Number(values.experts);
const seed = Number(values.seed);
if (!Number.isInteger(count) || count < 1 || count > 1_000_000) fail('--experts must be a whole number from 1 to 1000000');
if (!Number.isInteger(seed)) fail('--seed must be a whole number');
// Reviews are most of the data (about 60 per expert): `--reviews none` leaves them out, for large
// benchmark pools; experts and their ratings are the same either way.
if (!['all', 'none'].includes(values.reviews)) fail('--reviews must be all or none');

const { readLocalSettings, applySettingsToEnvironment } = require('../shared/local-host/dist/settings.js');
applySettingsToEnvironment(readLocalSettings(root, values.settings).values);
process.env.LOCAL_HOST_DATA_DIR ??= path.resolve(values['data-dir'] ?? path.join(root, '.data'));

const { syntheticExpert } = require('../dist/shared/domain/experts/synthetic-experts.js');
const { profileInputSchema } = require('../dist/shared/domain/experts/profile-schema.js');
const { syntheticServices } = require('../dist/shared/domain/experts/synthetic-services.js');
const { syntheticReviews } = require('../dist/shared/domain/experts/synthetic-reviews.js');
const { serviceInputSchema } = require('../dist/shared/domain/experts/services.js');
const { expertProfiles, expertServices, expertReviews } = require('../dist/shared/domain/experts/containers.js');
const { appRoot } = require('../dist/shared/composition/index.js');

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
// Services and reviews draw from a stream of their own, so the experts stay what they were before services were seeded.
const extras = new Faker({ locale: [en] });
extras.seed([seed, 2]);
const now = new Date(Date.UTC(2026, 0, 1));
const { store } = appRoot().adapters;
const profiles = await store.container(expertProfiles);
const services = await store.container(expertServices);
const reviews = await store.container(expertReviews);
const written = { services: 0, reviews: 0 };
const started = performance.now();
for (let index = 0; index < count; index++) {
  const profile = syntheticExpert(faker, localized, index, now);
  const { id: _id, published: _p, verification: _v, rating: _r, responsiveness: _rs, createdAt: _c, updatedAt: _u, ...input } = profile;
  const checked = profileInputSchema.safeParse(input);
  if (!checked.success) fail(`synthetic expert ${index} is invalid: ${checked.error.message}`);
  const offered = syntheticServices(extras, profile, now);
  for (const service of offered) {
    const { id: _sid, expertId: _e, createdAt: _sc, updatedAt: _su, ...serviceInput } = service;
    const valid = serviceInputSchema.safeParse(serviceInput);
    if (!valid.success) fail(`a service of synthetic expert ${index} is invalid: ${valid.error.message}`);
  }
  const reviewed = syntheticReviews(extras, profile, offered, now);
  // The profile's rating is what its reviews add up to (the same unless unreachable with so few).
  await profiles.upsert({ ...profile, rating: reviewed.rating });
  await services.batch(
    profile.id,
    offered.map((document) => ({ op: 'upsert', document })),
  );
  // A transactional batch holds at most 100 operations (Cosmos DB's limit).
  if (values.reviews === 'all')
    for (let at = 0; at < reviewed.reviews.length; at += 100)
      await reviews.batch(
        profile.id,
        reviewed.reviews.slice(at, at + 100).map((document) => ({ op: 'upsert', document })),
      );
  written.services += offered.length;
  if (values.reviews === 'all') written.reviews += reviewed.reviews.length;
}
await store.close();
console.log(`seeded ${count} experts, ${written.services} services, ${written.reviews} reviews (seed ${seed}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);

function fail(message) {
  console.error(message);
  process.exit(2);
}
