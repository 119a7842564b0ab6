/**
 * The one catalogue of error codes. Each code has one HTTP status; adding a code without a
 * status is a type error, so no error can fall through to a silent default.
 */
export const errorStatus = {
  validation_failed: 400,
  invalid_json: 400,
  body_too_large: 413,
  unsupported_media_type: 415,
  not_signed_in: 401,
  invalid_credentials: 401,
  forbidden: 403,
  not_found: 404,
  route_not_found: 404,
  setup_already_done: 409,
  last_admin: 409,
  stage_transition_not_allowed: 409,
  invalid_definition: 400,
  definition_not_signed: 409,
  no_definition_in_force: 404,
  unknown_stage: 400,
  duplicate: 409,
  already_disposed: 409,
  lead_not_assigned: 409,
  no_rep_available: 409,
  idempotency_key_reused: 422,
  idempotency_key_in_flight: 409,
  too_many_requests: 429,
  database_busy: 503,
  reports_rebuilding: 503,
  internal: 500,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof errorStatus;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.code = code;
    this.status = errorStatus[code];
    this.details = details;
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown> };
}

export function errorBody(error: AppError): ErrorBody {
  return {
    error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) },
  };
}
