import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot, startHost, type RunningHost } from './host-process';

export const STRONG_PASSWORD = 'Quiet-Harbour-Lantern-42';
export const ADMIN = { email: 'root-admin@example.com', password: 'Granite-Orchard-Falcon-77' };

/**
 * Settings for identity tests: a cheaper Argon2 (the cost is measured by the benchmark, not
 * here), generous limits so only the test that is about limits meets them, and an admin.
 */
export const IDENTITY_TEST_ENV: Record<string, string> = {
  ARGON2_MEMORY_KIB: '8192',
  ARGON2_TIME_COST: '1',
  RATE_LIMIT_CREDENTIALS: '1000/60',
  RATE_LIMIT_PUBLIC_READ: '5000/60',
  RATE_LIMIT_READ: '5000/60',
  RATE_LIMIT_WRITE: '5000/60',
  ADMIN_EMAIL: ADMIN.email,
  ADMIN_PASSWORD: ADMIN.password,
};

/** This project on the local host with the identity test settings; `dataDir` and `settings` as for startHost. */
export function startIdentityHost(env: Record<string, string> = {}, options: { dataDir?: string; settings?: string } = {}): Promise<RunningHost> {
  return startHost({ app: projectRoot, ...options, args: ['--no-azurite'], env: { ...IDENTITY_TEST_ENV, ...env } });
}

export interface Api {
  call(method: string, route: string, options?: { body?: unknown; token?: string; headers?: Record<string, string> }): Promise<{ status: number; headers: Headers; body: any }>;
}

export function api(host: RunningHost): Api {
  return {
    async call(method, route, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      const response = await fetch(`${host.baseUrl}/api/${route}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, headers: response.headers, body };
    },
  };
}

let counter = 0;

/** Registers a fresh account and returns its tokens and profile. */
export async function registerUser(client: Api, accountType: 'client' | 'expert' | 'agent' = 'client', email = `user${Date.now()}-${counter++}@example.com`) {
  const response = await client.call('POST', 'v1/auth/register', { body: { email, password: STRONG_PASSWORD, displayName: `Test ${accountType}`, accountType } });
  if (response.status !== 201) throw new Error(`register failed: ${response.status} ${JSON.stringify(response.body)}`);
  return { email, password: STRONG_PASSWORD, ...(response.body as { accessToken: string; refreshToken: string; user: { id: string; roles: string[] } }) };
}

export async function login(client: Api, email: string, password: string) {
  const response = await client.call('POST', 'v1/auth/login', { body: { email, password } });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** The emails the local outbox wrote for `to`, oldest first. */
export function mailsTo(host: RunningHost, to: string): { subject: string; text: string }[] {
  const dir = path.join(host.dataDir, 'outbox');
  let files: string[] = [];
  try {
    files = readdirSync(dir).sort();
  } catch {
    return [];
  }
  return files
    .map((file) => readFileSync(path.join(dir, file), 'utf8'))
    .filter((text) => text.includes(`\nTo: ${to}\n`))
    .map((text) => ({ subject: /\nSubject: (.*)\n/.exec(text)![1]!, text }));
}

export function tokenIn(mail: { text: string }): string {
  return decodeURIComponent(/token=([^\s]+)/.exec(mail.text)![1]!);
}
