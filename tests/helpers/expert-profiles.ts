import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { SqliteDocumentStore } from '../../shared/adapters/document-store/sqlite/sqlite-document-store';
import type { ExpertProfile } from '../../shared/domain/experts/records';
import type { ExpertService } from '../../shared/domain/experts/services';
import { noSettings, projectRoot, tempDir, type RunningHost } from './host-process';

/**
 * A whole, valid stored profile, for tests that arrange data in the store directly (states the
 * API reaches only over days, such as an expiring certification on a verified profile).
 */
export function expertProfile(id: string, overrides: Partial<ExpertProfile> = {}): ExpertProfile {
  const at = '2026-01-05T09:00:00.000Z';
  return {
    id,
    name: 'María García-López',
    headline: 'PCQI for Latin American exporters',
    bio: '',
    specializations: [{ id: 'fsma-preventive-controls', years: 12, level: 'expert' }],
    certifications: [],
    industries: [],
    jurisdictions: ['US'],
    languages: ['es'],
    country: 'MX',
    timeZone: 'America/Mexico_City',
    hourlyRate: { amount: 95, currency: 'USD' },
    availability: { weekly: [], exceptions: [] },
    published: true,
    verification: { status: 'unverified' },
    rating: { average: 0, count: 0 },
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

/**
 * The running host's own store file, opened beside it (SQLite in WAL mode serves both processes),
 * for arranging data the API reaches only slowly and for checking what a job wrote.
 */
export function openHostStore(host: RunningHost): SqliteDocumentStore {
  return SqliteDocumentStore.open(path.join(host.dataDir, 'store.sqlite'));
}

/** A whole, valid stored service of the expert (fixed price, published), for the same kind of test. */
export function expertService(id: string, expertId: string, overrides: Partial<ExpertService> = {}): ExpertService {
  const at = '2026-03-01T00:00:00.000Z';
  return {
    id,
    expertId,
    title: 'HACCP plan review',
    description: 'A review of your HACCP plan with a written list of corrections.',
    specializationId: 'haccp',
    pricing: { model: 'fixed', price: 900 },
    currency: 'USD',
    deliveryDays: 7,
    deliverables: ['Corrections list'],
    published: true,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

/**
 * A new data dir holding `experts` seeded public experts (scripts/seed.mjs), for a host to start
 * on: the instance's start-up build indexes them and a search waits for that build, so no test
 * depends on the index catching up with writes made while it runs.
 */
export function seededDataDir(experts: number, seed: number): string {
  const dataDir = tempDir();
  execFileSync(process.execPath, [path.join(projectRoot, 'scripts/seed.mjs'), '--experts', String(experts), '--seed', String(seed), '--data-dir', dataDir, '--settings', noSettings], {
    cwd: projectRoot,
    stdio: 'pipe',
  });
  return dataDir;
}
