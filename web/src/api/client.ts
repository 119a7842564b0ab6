import type { ErrorCode } from './types.ts';

/** An error the API answered with (`{ error: { code, message, details } }`), or a network failure. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode | 'network_error' | 'unexpected_response';
  readonly details: Record<string, unknown> | undefined;

  constructor(status: number, code: ApiError['code'], message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** Whether a report failed only because its first count runs in the background (503 reports_rebuilding). */
export function isRebuilding(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'reports_rebuilding';
}

type Query = Record<string, string | number | undefined>;

export function apiGet<T>(path: string, query: Query = {}): Promise<T> {
  return apiRequest<T>('GET', apiUrl(path, query));
}

export function apiPost<T>(path: string, body?: unknown): Promise<T> {
  return apiRequest<T>('POST', path, body);
}

/** PUT, PATCH or DELETE, with the same error handling as apiGet and apiPost. */
export function apiSend<T>(method: 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  return apiRequest<T>(method, path, body);
}

/** An API address with its query (empty values left out), e.g. for a link the browser downloads. */
export function apiUrl(path: string, query: Query): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(name, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

async function apiRequest<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network_error', 'Lockstep cannot be reached. Is the server running?');
  }
  if (response.status === 204) return undefined as T;
  const payload: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw errorFrom(response.status, payload);
  return payload as T;
}

export function errorFrom(status: number, payload: unknown): ApiError {
  if (typeof payload === 'object' && payload !== null && 'error' in payload) {
    const { error } = payload as {
      error: { code: ErrorCode; message: string; details?: Record<string, unknown> };
    };
    return new ApiError(status, error.code, error.message, error.details);
  }
  return new ApiError(status, 'unexpected_response', `The server answered ${status} without an explanation.`);
}
