import { AppError } from '../errors';

/** Blob names callers build from ids: no traversal, no leading slash, Azure's length limit. */
export function assertBlobName(name: string): string {
  const bad =
    name.length === 0 ||
    name.length > 1024 ||
    name.startsWith('/') ||
    name.endsWith('/') ||
    name.split('/').some((segment) => segment === '' || segment === '.' || segment === '..') ||
    /[\u0000-\u001f\\]/.test(name);
  if (bad) throw new AppError('validation', `Invalid blob name "${name.slice(0, 80)}": use /-separated segments without "." or "..", at most 1024 characters.`);
  return name;
}
