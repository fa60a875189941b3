/**
 * What the app's two outboxes share (email and WhatsApp in `notifications/outbox.ts`, outbound
 * events in `events/relay.ts`): an attempt owns its record for a lease, written with If-Match so
 * two instances never try one record at once; a failed attempt waits with exponential backoff and
 * jitter; after the last attempt the record is parked as dead, and an admin's retry counts again
 * from zero. What counts as a failure, and what "done" is called, stays with each outbox.
 */
export interface AttemptState {
  attempts: number;
  /** While pending, when it may be tried next: the end of the running attempt's lease, or of the backoff after a failed one. */
  nextAttemptAt: string;
  /** Set while an attempt runs (its lease), so an admin's retry cannot start a second one. */
  claimedUntil?: string;
  lastError?: string;
  deadAt?: string;
}

export interface AttemptOptions {
  /** Attempts before a record is parked as dead. */
  maxAttempts: number;
  /** How long an attempt owns its record. */
  leaseMs: number;
  now?: () => Date;
  /** 0 ≤ x < 1, for the jitter. */
  random?: () => number;
}

const RETRY_BASE_MS = 60_000;
const RETRY_CAP_MS = 6 * 60 * 60_000;

/**
 * The wait after failed attempt number `attempts` (1, 2, ...): exponential, capped, with "equal
 * jitter" (between half and all of the step), so instances that failed together spread out
 * and the wait never shrinks from one attempt to the next.
 */
export function retryDelayMs(attempts: number, random: () => number): number {
  const step = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** (attempts - 1));
  return step / 2 + random() * (step / 2);
}

export class AttemptPolicy {
  readonly now: () => Date;
  readonly leaseMs: number;
  private readonly random: () => number;

  constructor(private readonly options: AttemptOptions) {
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
    this.leaseMs = options.leaseMs;
  }

  /** A new attempt's lease, from now: nobody else tries the record until it ends. */
  lease(): Required<Pick<AttemptState, 'nextAttemptAt' | 'claimedUntil'>> {
    const until = new Date(this.now().getTime() + this.options.leaseMs).toISOString();
    return { nextAttemptAt: until, claimedUntil: until };
  }

  /** When to try again after failed attempt number `attempts`, from `from` (now by default). */
  retryAt(attempts: number, from = this.now()): string {
    return new Date(from.getTime() + retryDelayMs(attempts, this.random)).toISOString();
  }

  /** No attempt is left after attempt number `attempts`. */
  exhausted(attempts: number): boolean {
    return attempts >= this.options.maxAttempts;
  }

  /** An attempt holds the record now. */
  running(state: AttemptState): boolean {
    return state.claimedUntil !== undefined && state.claimedUntil > this.now().toISOString();
  }

  /** An admin's retry: pending again, its attempts counted from zero, due now. */
  restarted<S extends AttemptState & { status: string }>(state: S): S {
    const { deadAt: _dead, claimedUntil: _claim, ...rest } = state;
    // S without the two optional fields it drops is still an S.
    return { ...rest, status: 'pending', attempts: 0, nextAttemptAt: this.now().toISOString() } as unknown as S;
  }
}
