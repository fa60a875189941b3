import type { Document } from '../../data/document-store';
import type { Supervision } from '../workflows/supervision';
import type { CheckResult, CheckStatus } from './certificate-checks';
import type { ProfileVerification } from './records';

/**
 * A verification request and its workflow state. The request record in the store is the source
 * of truth (the admin's decision is written there first); the Durable orchestration drives the
 * steps and waits, and a raised event only wakes it.
 */
export type VerificationStatus = 'checking' | 'awaiting_review' | 'approved' | 'rejected' | 'withdrawn';
export type StepName = 'automated_checks' | 'admin_review' | 'outcome_sent';
export type StepState = 'pending' | 'running' | 'done' | 'failed';

/** Still to be decided or applied: a withdrawn request, and a decided one whose outcome was sent, are settled. */
export const OPEN_STATUSES: readonly VerificationStatus[] = ['checking', 'awaiting_review'];

export interface CertificationCheck {
  /** The certification entry on the profile, and the document that evidences it. */
  certificationEntryId: string;
  documentId: string | null;
  overall: CheckStatus;
  results: CheckResult[];
}

export interface VerificationRequest extends Document {
  expertId: string;
  status: VerificationStatus;
  submittedAt: string;
  steps: { name: StepName; state: StepState; at?: string }[];
  checks: CertificationCheck[];
  remindedAt?: string;
  escalatedAt?: string;
  decision?: { outcome: 'approved' | 'rejected'; reason?: string; by: string; at: string };
  /** The watchdog's view: when the automated part under way is due, restarts, the last problem (absent on requests older than it). */
  supervision?: Supervision;
  /** The profile's badge state before this request, given back if the expert withdraws it. */
  previousVerification?: ProfileVerification;
  withdrawnAt?: string;
}

export interface ReviewTimings {
  /** Admins are reminded when a review has waited this long (48 h by default). */
  reminderAfterMs: number;
  /** ... and the request escalates after this long (7 days by default). */
  escalateAfterMs: number;
}

/** What the review wait should wake up for next: the reminder, then the escalation, then nothing but the decision. */
export function nextReviewDeadline(submittedAt: string, progress: { reminded: boolean; escalated: boolean }, timings: ReviewTimings): { kind: 'reminder' | 'escalation'; at: Date } | null {
  const submitted = Date.parse(submittedAt);
  if (!progress.reminded && timings.reminderAfterMs < timings.escalateAfterMs) return { kind: 'reminder', at: new Date(submitted + timings.reminderAfterMs) };
  if (!progress.escalated) return { kind: 'escalation', at: new Date(submitted + timings.escalateAfterMs) };
  return null;
}

/** How long each automated part may take before the watchdog steps in. */
export interface VerificationDeadlines {
  /** From submission to the checks' results (15 minutes by default). */
  checksMs: number;
  /** From the admin's decision to the outcome applied and sent (5 minutes by default). */
  outcomeMs: number;
}

export const dueAfter = (now: Date, ms: number) => new Date(now.getTime() + ms).toISOString();

export function newVerificationRequest(id: string, expertId: string, now: Date, checksMs = 15 * 60_000): VerificationRequest {
  return {
    id,
    expertId,
    status: 'checking',
    submittedAt: now.toISOString(),
    steps: [
      { name: 'automated_checks', state: 'running', at: now.toISOString() },
      { name: 'admin_review', state: 'pending' },
      { name: 'outcome_sent', state: 'pending' },
    ],
    checks: [],
    supervision: { dueBy: dueAfter(now, checksMs), recoveries: 0 },
  };
}

/** The request with one step moved on. */
export function withStep(request: VerificationRequest, name: StepName, state: StepState, at: Date): VerificationRequest {
  return { ...request, steps: request.steps.map((step) => (step.name === name ? { name, state, at: at.toISOString() } : step)) };
}

export const VERIFICATION_ORCHESTRATION = 'expertVerification';
export const REVIEW_DECISION_EVENT = 'ReviewDecision';

/** The workflow instance of a request. */
export const verificationInstanceId = (requestId: string) => `verification-${requestId}`;

/** The orchestration's input; `reminded`/`escalated`/`checked` carry progress across continueAsNew. */
export interface VerificationInput {
  expertId: string;
  requestId: string;
  submittedAt: string;
  timings: ReviewTimings;
  checked?: boolean;
  reminded?: boolean;
  escalated?: boolean;
}
