import { execFileSync } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { projectRoot, tempDir } from '../helpers/host-process';

/** Runs `npm run seed`'s script into a fresh data dir and returns the stored profiles. */
function seed(args: string[]): Record<string, any>[] {
  const dataDir = tempDir('fx-seed-');
  execFileSync(process.execPath, [path.join(projectRoot, 'scripts/seed.mjs'), '--data-dir', dataDir, ...args], { cwd: projectRoot, stdio: 'pipe' });
  const db = new Database(path.join(dataDir, 'store.sqlite'), { readonly: true });
  const table = (db.prepare("SELECT number FROM fx_containers WHERE name = 'expert-profiles'").get() as { number: number }).number;
  const docs = (db.prepare(`SELECT doc FROM fx_docs_${table} ORDER BY rowid`).all() as { doc: string }[]).map((row) => JSON.parse(row.doc));
  db.close();
  return docs;
}

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

  it('refuses a bad count with a message', () => {
    expect(() => execFileSync(process.execPath, [path.join(projectRoot, 'scripts/seed.mjs'), '--experts', 'many'], { cwd: projectRoot, stdio: 'pipe' })).toThrow(/--experts must be a whole number/);
  });
});
