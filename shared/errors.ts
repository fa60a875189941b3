/**
 * The one application error. Domain code throws it with a kind; the HTTP kit maps the kind
 * to a status and an RFC 9457 problem type. Anything else thrown is treated as unexpected
 * (500, message hidden from the client).
 */
export type ErrorKind =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'precondition_failed'
  | 'precondition_required'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unprocessable'
  | 'rate_limited'
  | 'throttled'
  | 'unavailable';

export interface FieldIssue {
  /** Where the problem is, e.g. `body.email` or `query.limit`. */
  field: string;
  message: string;
}

export interface AppErrorOptions {
  /** Fields that failed validation. */
  issues?: FieldIssue[];
  /** Extra headers the response must carry (e.g. `Retry-After`, `Allow`). */
  headers?: Record<string, string>;
  cause?: unknown;
}

export class AppError extends Error {
  readonly kind: ErrorKind;
  readonly issues?: FieldIssue[];
  readonly headers?: Record<string, string>;

  constructor(kind: ErrorKind, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.kind = kind;
    this.issues = options.issues;
    this.headers = options.headers;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
