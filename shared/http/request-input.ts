import type { HttpRequest } from '@azure/functions';
import type { z } from 'zod';
import { AppError, type FieldIssue } from '../errors';
import { fieldIssues } from './problem';
import { queryToObject } from './query';

export interface InputSchemas {
  params?: z.ZodType;
  query?: z.ZodType;
  headers?: z.ZodType;
  body?: z.ZodType;
}

export interface ParsedInput {
  params: unknown;
  query: unknown;
  headers: unknown;
  body: unknown;
}

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;

/**
 * Parses every part of the request that has a schema. Transport faults (size, media type,
 * JSON syntax) fail at once; schema failures are collected across all parts so the client
 * sees every bad field in one answer.
 */
export async function readRequestInput(schemas: InputSchemas, request: HttpRequest, maxBodyBytes: number): Promise<ParsedInput> {
  const rawBody = schemas.body ? await readJsonBody(request, maxBodyBytes) : undefined;
  const issues: FieldIssue[] = [];
  const parse = async (schema: z.ZodType | undefined, value: unknown, part: string): Promise<unknown> => {
    if (!schema) return undefined;
    const result = await schema.safeParseAsync(value);
    if (result.success) return result.data;
    issues.push(...fieldIssues(result.error.issues, part));
    return undefined;
  };
  const input: ParsedInput = {
    params: await parse(schemas.params, request.params, 'params'),
    query: await parse(schemas.query, queryToObject(request.query), 'query'),
    // Header names are lower-case here, so header schemas use lower-case keys.
    headers: await parse(schemas.headers, Object.fromEntries(request.headers), 'headers'),
    body: await parse(schemas.body, rawBody, 'body'),
  };
  if (issues.length) throw new AppError('validation', 'The request is not valid.', { issues });
  return input;
}

/** The JSON body, or undefined when there is none; enforces the configured size limit. */
async function readJsonBody(request: HttpRequest, limit: number): Promise<unknown> {
  const tooLarge = () => new AppError('payload_too_large', `The request body must not exceed ${limit} bytes.`);
  if (Number(request.headers.get('content-length') ?? 0) > limit) throw tooLarge();
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.byteLength > limit) throw tooLarge();
  if (bytes.byteLength === 0) return undefined;
  const mediaType = (request.headers.get('content-type') ?? '').split(';')[0]!.trim();
  if (!JSON_MEDIA_TYPE.test(mediaType)) {
    throw new AppError('unsupported_media_type', 'The request body must be JSON (Content-Type: application/json).');
  }
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new AppError('validation', 'The request body is not valid JSON.', {
      issues: [{ field: 'body', message: (error as Error).message }],
    });
  }
}
