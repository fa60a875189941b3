import { z } from 'zod';
import { AppError, type ErrorKind, type FieldIssue, isAppError } from '../errors';

/** RFC 9457 problem details, as every error response carries them. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  requestId: string;
  errors?: FieldIssue[];
}

export interface ProblemResponse {
  status: number;
  headers: Record<string, string>;
  problem: Problem;
  /** True when the error was not an AppError: a bug or an outage the client must not see. */
  unexpected: boolean;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
const PROBLEM_BASE = 'https://foodxchange.dev/problems/';

const KINDS: Record<ErrorKind, { status: number; title: string }> = {
  validation: { status: 400, title: 'Invalid request' },
  unauthenticated: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Forbidden' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict' },
  precondition_failed: { status: 412, title: 'Precondition failed' },
  precondition_required: { status: 428, title: 'Precondition required' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  unprocessable: { status: 422, title: 'Unprocessable content' },
  rate_limited: { status: 429, title: 'Too many requests' },
  throttled: { status: 503, title: 'Service busy' },
  unavailable: { status: 503, title: 'Service unavailable' },
};

/** Headers a status requires by RFC 9110 / 6585 when the thrower gave none. */
const REQUIRED_HEADERS: Partial<Record<ErrorKind, Record<string, string>>> = {
  unauthenticated: { 'WWW-Authenticate': 'Bearer' },
  rate_limited: { 'Retry-After': '1' },
};

/** A stable, documented URI per kind, e.g. `https://foodxchange.dev/problems/not-found`. */
export function problemType(kind: ErrorKind | 'internal'): string {
  return PROBLEM_BASE + kind.replaceAll('_', '-');
}

/** Where a request ended up: `instance` is the request path, `requestId` the correlation id. */
export interface ProblemOrigin {
  instance: string;
  requestId: string;
}

/**
 * The one mapping from anything thrown to a problem response. AppError messages are written
 * for clients; any other error's message may hold internals, so it is never sent.
 */
export function toProblem(error: unknown, origin: ProblemOrigin): ProblemResponse {
  if (isAppError(error)) {
    const { status, title } = KINDS[error.kind];
    return {
      status,
      headers: { ...REQUIRED_HEADERS[error.kind], ...error.headers },
      problem: {
        type: problemType(error.kind),
        title,
        status,
        detail: error.message,
        ...origin,
        ...(error.issues?.length ? { errors: error.issues } : {}),
      },
      unexpected: false,
    };
  }
  if (error instanceof z.ZodError) {
    return toProblem(new AppError('validation', 'The request is not valid.', { issues: fieldIssues(error.issues) }), origin);
  }
  return {
    status: 500,
    headers: {},
    problem: {
      type: problemType('internal'),
      title: 'Internal server error',
      status: 500,
      detail: 'An unexpected error occurred. Quote the request id if you report it.',
      ...origin,
    },
    unexpected: true,
  };
}

/**
 * Zod issues as client-facing field issues; `prefix` says which part of the request they are
 * about (`body`, `query`, ...). Unknown keys are listed one per key so each names its field.
 */
export function fieldIssues(issues: readonly z.core.$ZodIssue[], prefix?: string): FieldIssue[] {
  return issues.flatMap((issue) => {
    const base = [...(prefix ? [prefix] : []), ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: [...base, key].join('.'), message: 'Unrecognized field' }));
    }
    return [{ field: base.join('.') || '(root)', message: issue.message }];
  });
}
