import { Algorithm, hash, verify } from '@node-rs/argon2';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';
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

let estimator: ZxcvbnFactory | undefined;

/**
 * Length bounds, then zxcvbn (offline: the common-password, name and word lists ship in the
 * package): anything scoring under 3 ("safely unguessable") is refused with zxcvbn's reason.
 * The user's own email and name count as guessable words.
 */
export function passwordIssues(password: string, userInputs: string[], field: string): FieldIssue[] {
  if (password.length < MIN_PASSWORD_LENGTH) return [{ field, message: `must be at least ${MIN_PASSWORD_LENGTH} characters` }];
  if (password.length > MAX_PASSWORD_LENGTH) return [{ field, message: `must be at most ${MAX_PASSWORD_LENGTH} characters` }];
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...english.dictionary },
    graphs: common.adjacencyGraphs,
    translations: english.translations,
  });
  const result = estimator.check(
    password,
    userInputs.flatMap((input) => input.toLowerCase().split(/[^a-z0-9]+/)).filter((word) => word.length >= 3),
  );
  if (result.score >= 3) return [];
  const why = result.feedback.warning || 'it is too easy to guess';
  const hint = result.feedback.suggestions[0];
  return [{ field, message: `is too weak: ${why.replace(/\.$/, '')}${hint ? `. ${hint}` : ''}` }];
}
