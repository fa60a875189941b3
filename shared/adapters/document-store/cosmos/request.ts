import { toStoreError } from './errors';

/** Where the adapter reports request charges and policy drift. Fields carry names and numbers only: never documents, keys or tokens. */
export interface CosmosLogger {
  debug(message: string, fields: Record<string, unknown>): void;
  warn(message: string, fields: Record<string, unknown>): void;
}

export const silentLogger: CosmosLogger = { debug: () => undefined, warn: () => undefined };

export interface RequestScope {
  container: string;
  operation: string;
}

/**
 * Runs one SDK call: logs its request charge (RU) at debug, success or failure, so costly queries
 * show up, and rethrows a failure as the port's error.
 */
export async function request<T>(logger: CosmosLogger, scope: RequestScope, call: () => Promise<T>): Promise<T> {
  try {
    const result = await call();
    logger.debug('Cosmos DB request', { ...scope, requestCharge: requestCharge(result) });
    return result;
  } catch (error) {
    const { code } = (error ?? {}) as { code?: unknown };
    logger.debug('Cosmos DB request failed', { ...scope, status: typeof code === 'number' ? code : undefined, requestCharge: requestCharge(error) });
    throw toStoreError(error);
  }
}

/** Item and feed responses carry `requestCharge`; batch responses only the `x-ms-request-charge` header. */
export function requestCharge(response: unknown): number | undefined {
  const { requestCharge: charge, headers } = (response ?? {}) as { requestCharge?: unknown; headers?: Record<string, unknown> };
  const value = Number(charge ?? headers?.['x-ms-request-charge']);
  return Number.isFinite(value) ? value : undefined;
}
