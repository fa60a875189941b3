import { readdirSync, readFileSync } from 'node:fs';
import { request, type RequestOptions } from 'node:http';
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

/**
 * A client of the host's API. `sourceAddress` (a loopback address such as 127.0.0.2) is the
 * socket's local address: the host puts the peer address in X-Forwarded-For, as Azure's front end
 * does, so this is how a test plays a caller from another IP (Linux routes all of 127/8 to loopback).
 */
export function api(host: RunningHost, sourceAddress?: string): Api {
  return {
    async call(method, route, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      const response = await send(`${host.baseUrl}/api/${route}`, { method, headers, localAddress: sourceAddress }, options.body === undefined ? undefined : JSON.stringify(options.body));
      let body: unknown = response.text;
      try {
        body = response.text ? JSON.parse(response.text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, headers: response.headers, body };
    },
  };
}

/** `fetch` cannot choose the local address, `http.request` can. */
function send(url: string, options: RequestOptions, body?: string): Promise<{ status: number; headers: Headers; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const headers = new Headers();
        for (let i = 0; i < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
        resolve({ status: res.statusCode!, headers, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
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
    files = readdirSync(dir)
      .filter((file) => file.endsWith('.txt'))
      .sort();
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
