import type { HttpRequest } from '@azure/functions';
import type { ClientInfo } from '../domain/identity/sessions';
import { clientIp } from './rate-limit';

/** Where a request came from, for sessions and the audit trail. */
export function clientInfo(request: HttpRequest): ClientInfo {
  return { ip: clientIp(request), userAgent: (request.headers.get('user-agent') ?? '').slice(0, 300) };
}
