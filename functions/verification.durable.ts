import * as df from 'durable-functions';
import { verificationOrchestrator, VERIFICATION_ACTIVITIES as A } from '../shared/domain/experts/verification-orchestrator';
import { VERIFICATION_ORCHESTRATION } from '../shared/domain/experts/verification';
import type { RequestRef, VerificationSteps } from '../shared/domain/experts/verification-steps';
import { STEP_RETRY } from '../shared/domain/workflows/steps';
import { experts } from '../shared/composition';

const retry = new df.RetryOptions(STEP_RETRY.firstRetryIntervalMs, STEP_RETRY.maxAttempts);
retry.backoffCoefficient = STEP_RETRY.backoffCoefficient;

df.app.orchestration(VERIFICATION_ORCHESTRATION, verificationOrchestrator(retry));

df.app.activity(A.runChecks, { handler: async (ref: RequestRef) => (await experts()).verificationSteps.runChecks(ref) });
df.app.activity(A.decision, { handler: async (ref: RequestRef) => (await experts()).verificationSteps.decision(ref) });
df.app.activity(A.remindAdmins, { handler: async (input: RequestRef & { kind: 'reminder' | 'escalation' }) => (await experts()).verificationSteps.remindAdmins(input) });
df.app.activity(A.applyDecision, { handler: async (ref: RequestRef) => (await experts()).verificationSteps.applyDecision(ref) });
df.app.activity(A.park, { handler: async (input: Parameters<VerificationSteps['park']>[0]) => (await experts()).verificationSteps.park(input) });
