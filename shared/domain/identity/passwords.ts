import { Algorithm, hash, verify } from '@node-rs/argon2';
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import type { FieldIssue } from '../../errors';

export interface Argon2Cost {
  /** KiB */
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;

/** Argon2id with the configured cost; the PHC string carries salt and parameters. */
export function hashPassword(password: string, cost: Argon2Cost): Promise<string> {
  return hash(password, { algorithm: Algorithm.Argon2id, ...cost });
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/** Spends the same time as a real check, so "no such account" cannot be told apart by timing. */
export async function burnPasswordCheck(password: string, cost: Argon2Cost): Promise<void> {
  dummyHash ??= hashPassword('not-a-real-password-0000', cost);
  await verifyPassword(await dummyHash, password);
}

let estimator: Promise<ZxcvbnFactory> | undefined;

/** zxcvbn with its word lists (1.6 MB), loaded with the first password checked, not with the app. */
async function loadEstimator(): Promise<ZxcvbnFactory> {
  const [{ ZxcvbnFactory }, common, english] = await Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common'), import('@zxcvbn-ts/language-en')]);
  return new ZxcvbnFactory({ dictionary: { ...common.dictionary, ...english.dictionary }, graphs: common.adjacencyGraphs, translations: english.translations });
}

/**
 * Length bounds, then zxcvbn (offline: the common-password, name and word lists ship in the
 * package): anything scoring under 3 ("safely unguessable") is refused with zxcvbn's reason.
 * The user's own email and name count as guessable words.
 */
export async function passwordIssues(password: string, userInputs: string[], field: string): Promise<FieldIssue[]> {
  if (password.length < MIN_PASSWORD_LENGTH) return [{ field, message: `must be at least ${MIN_PASSWORD_LENGTH} characters` }];
  if (password.length > MAX_PASSWORD_LENGTH) return [{ field, message: `must be at most ${MAX_PASSWORD_LENGTH} characters` }];
  estimator ??= loadEstimator();
  const result = (await estimator).check(
    password,
    userInputs.flatMap((input) => input.toLowerCase().split(/[^a-z0-9]+/)).filter((word) => word.length >= 3),
  );
  if (result.score >= 3) return [];
  const why = result.feedback.warning || 'it is too easy to guess';
  const hint = result.feedback.suggestions[0];
  return [{ field, message: `is too weak: ${why.replace(/\.$/, '')}${hint ? `. ${hint}` : ''}` }];
}
