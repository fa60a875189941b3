import { afterEach, describe, expect, it } from 'vitest';
import { projectRoot, startHost, tempDir, waitFor, type RunningHost } from '../helpers/host-process';
import { ADMIN, api, IDENTITY_TEST_ENV, login, mailsTo, type Api } from '../helpers/identity';
import { newExpertWithProfile, waitForRequest } from '../helpers/verification';

// The verification workflow when the host is killed (kill -9 of its process group, Azurite with
// it) in the middle of the work, then started again on the same data: every request reaches
// exactly one outcome, and every expert gets exactly one outcome email and one inbox item.
const EXPERTS = 10;
// Short deadlines and outbox leases, so the work a crash cut off is taken up again within seconds.
const ENV = { ...IDENTITY_TEST_ENV, VERIFICATION_CHECKS_DEADLINE_SECONDS: '3', VERIFICATION_OUTCOME_DEADLINE_SECONDS: '3', OUTBOX_LEASE_SECONDS: '5' };
const hosts: RunningHost[] = [];

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.stop()));
});

async function start(dataDir: string): Promise<{ host: RunningHost; client: Api; adminToken: string }> {
  const host = await startHost({ app: projectRoot, dataDir, env: ENV, detached: true });
  hosts.push(host);
  const client = api(host);
  return { host, client, adminToken: (await login(client, ADMIN.email, ADMIN.password)).accessToken };
}

async function crash(host: RunningHost) {
  await host.stop('SIGKILL');
  hosts.splice(hosts.indexOf(host), 1);
}

/** Runs the timers a crash leaves work for now, rather than at their next minute: the watchdog and the outbox retry. */
const pokeTimers = (host: RunningHost) => async () => {
  for (const name of ['workflowWatchdog', 'outboxRetry']) await fetch(`${host.baseUrl}/admin/functions/${name}`, { method: 'POST', body: '{}' });
};

/** Exactly one outcome email and one inbox item per expert, once nothing is left to send. */
async function expectOneOutcomeEach(host: RunningHost, client: Api, adminToken: string, experts: { email: string; accessToken: string }[], subject: string) {
  await waitFor(
    async () => {
      await pokeTimers(host)();
      const pending = await client.call('GET', 'v1/admin/outbox?status=pending', { token: adminToken });
      return pending.body.items.length === 0 && experts.every((expert) => mailsTo(host, expert.email).some((mail) => mail.subject === subject)) ? true : undefined;
    },
    60_000,
    'every outcome email sent',
  );
  for (const expert of experts) {
    expect(mailsTo(host, expert.email).filter((mail) => mail.subject === subject)).toHaveLength(1);
    const inbox = await client.call('GET', 'v1/notifications', { token: expert.accessToken });
    expect(inbox.body.items.filter((item: { type: string }) => item.type === 'verification.outcome')).toHaveLength(1);
  }
}

describe('verification across a kill -9 of the host', () => {
  it('in the middle of approvals: each request approved once, one email and one inbox item per expert, a lost workflow recovered by the watchdog', async () => {
    const dataDir = tempDir('fx-crash-approvals-');
    const first = await start(dataDir);
    const experts = [];
    for (let i = 0; i < EXPERTS; i++) experts.push((await newExpertWithProfile(first.client)).expert);
    const requests = [];
    for (const expert of experts) {
      expect((await first.client.call('POST', 'v1/experts/verification', { token: expert.accessToken })).status).toBe(202);
    }
    for (const expert of experts) requests.push(await waitForRequest(first.client, expert.accessToken, 'awaiting_review'));
    // One workflow is lost while it waits for the review (as if its instance failed): the decision must still be applied.
    const terminated = await fetch(`${first.host.baseUrl}/runtime/webhooks/durabletask/instances/verification-${requests[0].id}/terminate?reason=lost`, { method: 'POST' });
    expect(terminated.status).toBe(202);

    const approvals = await Promise.all(requests.map((request) => first.client.call('POST', `v1/admin/verifications/${request.id}/approve`, { token: first.adminToken, body: {} })));
    expect(approvals.map((response) => response.status)).toEqual(requests.map(() => 202));
    await crash(first.host);

    const second = await start(dataDir);
    for (const expert of experts) await waitForRequest(second.client, expert.accessToken, 'approved', { settled: true, timeoutMs: 60_000, poke: pokeTimers(second.host) });
    await expectOneOutcomeEach(second.host, second.client, second.adminToken, experts, 'You are verified');
    for (const expert of experts) {
      const history = (await second.client.call('GET', 'v1/experts/verification', { token: expert.accessToken })).body.history;
      expect(history.map((request: { status: string }) => request.status)).toEqual(['approved']);
    }
    const audit = await second.client.call('GET', `v1/admin/audit?targetId=${requests[0].id}`, { token: second.adminToken });
    expect(audit.body.items.map((item: { action: string }) => item.action)).toContain('workflow.restarted');
    const metrics = await (await fetch(`${second.host.baseUrl}/api/metrics`)).text();
    expect(metrics).toMatch(/workflow_recoveries_total\{workflow="expertVerification",action="restarted"\} [1-9]/);
  }, 240_000);

  it('in the middle of automated checks: each request reaches review once, admins told once per request, then one outcome each', async () => {
    const dataDir = tempDir('fx-crash-checks-');
    const first = await start(dataDir);
    const experts = [];
    for (let i = 0; i < EXPERTS; i++) experts.push((await newExpertWithProfile(first.client)).expert);
    const submitted = await Promise.all(experts.map((expert) => first.client.call('POST', 'v1/experts/verification', { token: expert.accessToken })));
    expect(submitted.map((response) => response.status)).toEqual(experts.map(() => 202));
    await crash(first.host);

    const second = await start(dataDir);
    const requests = [];
    for (const expert of experts) requests.push(await waitForRequest(second.client, expert.accessToken, 'awaiting_review', { timeoutMs: 60_000, poke: pokeTimers(second.host) }));
    for (const request of requests) expect(request.checks).toEqual([expect.objectContaining({ overall: 'passed' })]);
    // A request shows awaiting_review a moment before its admin email is queued: wait for every email, then none pending.
    const waitingMails = () => mailsTo(second.host, ADMIN.email).filter((mail) => mail.subject.startsWith('Verification request waiting'));
    await waitFor(
      async () => {
        await pokeTimers(second.host)();
        const pending = (await second.client.call('GET', 'v1/admin/outbox?status=pending', { token: second.adminToken })).body.items.length;
        return (pending === 0 && waitingMails().length >= EXPERTS) || undefined;
      },
      60_000,
      'the admin emails sent',
    );
    const waiting = waitingMails();
    expect(waiting).toHaveLength(EXPERTS);

    for (const request of requests) await second.client.call('POST', `v1/admin/verifications/${request.id}/approve`, { token: second.adminToken, body: {} });
    for (const expert of experts) await waitForRequest(second.client, expert.accessToken, 'approved', { settled: true, poke: pokeTimers(second.host) });
    await expectOneOutcomeEach(second.host, second.client, second.adminToken, experts, 'You are verified');
  }, 240_000);
});
