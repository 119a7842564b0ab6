import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { requestErrorOf } from '../db/request-errors.ts';
import { AppError, errorBody } from '../shared/errors.ts';

/**
 * Where a problem is: `body.rules.fit.rules.9.op`, with the id of each listed item that has one
 * (`body.rules.fit.rules.9 ("x1").op`), since a person knows their rules by name, not by position.
 */
function whereIn(context: string, instancePath: string, sent: unknown): string {
  let item = context === 'body' ? sent : undefined;
  const steps = [context];
  for (const step of instancePath.split('/').filter(Boolean)) {
    item = item !== null && typeof item === 'object' ? (item as Record<string, unknown>)[step] : undefined;
    const id =
      Array.isArray(item) || item === null || typeof item !== 'object'
        ? undefined
        : (item as { id?: unknown }).id;
    steps.push(/^\d+$/.test(step) && typeof id === 'string' ? `${step} (${JSON.stringify(id)})` : step);
  }
  return steps.join('.');
}

/** Turns every failure into `{ error: { code, message, details } }`; only a bug is a 500. `sent`: the request's body. */
export function toAppError(error: FastifyError | Error, sent?: unknown): AppError {
  if (error instanceof AppError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation.map((issue) => ({
      where: whereIn(error.validationContext ?? 'body', issue.instancePath, sent),
      message: issue.message,
      ...(issue.params && 'issue' in issue.params ? { issue: issue.params.issue } : {}),
    }));
    const first = issues[0];
    return new AppError(
      'validation_failed',
      first ? `${first.where}: ${first.message}` : 'The request is not valid.',
      { issues },
    );
  }
  const fastifyError = error as FastifyError;
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('invalid_json', `The request body is not valid JSON: ${fastifyError.message}`);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('body_too_large', 'The request body is too large. Send large data in batches.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type', 'Send the request body as application/json.');
  }
  if (fastifyError instanceof SyntaxError && fastifyError.statusCode === 400) {
    return new AppError('invalid_json', `The request body is not valid JSON: ${fastifyError.message}`);
  }
  if (fastifyError.validation) return new AppError('validation_failed', fastifyError.message);
  const fromDatabase = requestErrorOf(error);
  if (fromDatabase) return fromDatabase;
  if (fastifyError.statusCode === 429) return new AppError('too_many_requests', fastifyError.message);
  if (fastifyError.statusCode && fastifyError.statusCode < 500) {
    return new AppError('validation_failed', fastifyError.message);
  }
  return new AppError('internal', 'Something went wrong on our side; the error has been logged.');
}

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const appError = toAppError(error, request.body);
  if (appError.status === 503) {
    // Expected while work runs in the background (reports_rebuilding): no stack, not an error.
    request.log.info({ code: appError.code }, 'request deferred');
  } else if (appError.status >= 500) {
    request.log.error({ err: error }, 'request failed');
  }
  return reply.status(appError.status).send(errorBody(appError));
}
