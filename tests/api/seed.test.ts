import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { noSettings, projectRoot, tempDir } from '../helpers/host-process';

/** Runs `npm run seed`'s script into a fresh data dir and returns the stored documents of a container. */
function seedAll(args: string[]): Record<'expert-profiles' | 'expert-services' | 'expert-reviews', Record<string, any>[]> {
  const dataDir = tempDir('fx-seed-');
  execFileSync(process.execPath, [path.join(projectRoot, 'scripts/seed.mjs'), '--data-dir', dataDir, '--settings', noSettings, ...args], { cwd: projectRoot, stdio: 'pipe' });
  const db = new Database(path.join(dataDir, 'store.sqlite'), { readonly: true });
  const read = (name: string) => {
    const table = (db.prepare('SELECT number FROM fx_containers WHERE name = ?').get(name) as { number: number }).number;
    return (db.prepare(`SELECT doc FROM fx_docs_${table} ORDER BY rowid`).all() as { doc: string }[]).map((row) => JSON.parse(row.doc));
  };
  const docs = { 'expert-profiles': read('expert-profiles'), 'expert-services': read('expert-services'), 'expert-reviews': read('expert-reviews') };
  db.close();
  return docs;
}

const seed = (args: string[]) => seedAll(args)['expert-profiles'];

describe('npm run seed', () => {
  it('writes the same public, valid experts for the same seed, and different ones for another', () => {
    const first = seed(['--experts', '40', '--seed', '7']);
    const again = seed(['--experts', '40', '--seed', '7']);
    const other = seed(['--experts', '40', '--seed', '8']);
    expect(first).toHaveLength(40);
    expect(again).toEqual(first);
    expect(other.map((expert) => expert.name)).not.toEqual(first.map((expert) => expert.name));
    expect(new Set(first.map((expert) => expert.name)).size).toBeGreaterThan(35);
    for (const expert of first) {
      expect(expert).toMatchObject({ published: true, verification: { status: 'verified' } });
      expect(expert.specializations.length).toBeGreaterThanOrEqual(1);
      expect(expert.certifications.every((certification: { expiresOn: string }) => certification.expiresOn > '2026-01-01')).toBe(true);
    }
    expect(new Set(first.map((expert) => expert.country)).size).toBeGreaterThan(8);
  });

  it("writes the same services and reviews for the same seed; reviews add up to each profile's rating", () => {
    const first = seedAll(['--experts', '30', '--seed', '7']);
    const again = seedAll(['--experts', '30', '--seed', '7']);
    const other = seedAll(['--experts', '30', '--seed', '8']);
    expect(again['expert-services']).toEqual(first['expert-services']);
    expect(again['expert-reviews']).toEqual(first['expert-reviews']);
    expect(other['expert-services'].map((service) => service.title)).not.toEqual(first['expert-services'].map((service) => service.title));

    const services = first['expert-services'];
    for (const profile of first['expert-profiles']) {
      const own = services.filter((service) => service.expertId === profile.id);
      expect(own.length).toBeGreaterThanOrEqual(1);
      expect(own.length).toBeLessThanOrEqual(4);
      for (const service of own) {
        expect(profile.specializations.map((entry: { id: string }) => entry.id)).toContain(service.specializationId);
        expect(service.currency).toBe(profile.hourlyRate.currency);
      }
      const reviews = first['expert-reviews'].filter((review) => review.expertId === profile.id);
      expect(reviews).toHaveLength(profile.rating.count);
      if (reviews.length) expect(Math.round((reviews.reduce((sum, review) => sum + review.rating, 0) / reviews.length) * 100) / 100).toBe(profile.rating.average);
      for (const review of reviews) if (review.serviceId) expect(own.map((service) => service.id)).toContain(review.serviceId);
    }
    expect(new Set(services.map((service) => service.pricing.model))).toEqual(new Set(['fixed', 'hourly', 'packages']));
    expect(services.some((service) => !service.published)).toBe(true);
  });

  it('leaves the experts as they were before services and reviews were seeded (only an unreachable average moves)', () => {
    // The experts of seed 7, rating averages aside, as the seed wrote them before it wrote services and reviews.
    const experts = seed(['--experts', '40', '--seed', '7']).map((expert) => ({ ...expert, rating: { count: expert.rating.count } }));
    expect(createHash('sha256').update(JSON.stringify(experts)).digest('hex')).toBe('8dd76e0ba5abcb062ac9bcdc0bea2873435600fb8e69d144865fe08bc406f264');
  });

  it('leaves reviews out on request, with the same experts and services', () => {
    const full = seedAll(['--experts', '20', '--seed', '7']);
    const lean = seedAll(['--experts', '20', '--seed', '7', '--reviews', 'none']);
    expect(lean['expert-reviews']).toEqual([]);
    expect(full['expert-reviews'].length).toBeGreaterThan(0);
    expect(lean['expert-profiles']).toEqual(full['expert-profiles']);
    expect(lean['expert-services']).toEqual(full['expert-services']);
  });

  it('refuses a bad count with a message', () => {
    expect(() => execFileSync(process.execPath, [path.join(projectRoot, 'scripts/seed.mjs'), '--experts', 'many'], { cwd: projectRoot, stdio: 'pipe' })).toThrow(/--experts must be a whole number/);
  });
});
