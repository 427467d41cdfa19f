import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, DomainErrorCode, InvalidFieldsError } from './domain.error';
import type { ErrorResponse } from './error.response';
import { isDatabaseUnavailable } from './database-unavailable';
import { loggableError } from './loggable-error';
import { recordSecurityEvent, SecurityEvent } from './security-events';

const STATUS: Record<DomainErrorCode, number> = {
  invalid: HttpStatus.BAD_REQUEST,
  unauthenticated: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  too_many: HttpStatus.TOO_MANY_REQUESTS,
  step_up_required: HttpStatus.UNAUTHORIZED,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
};

// The framework's own refusals (an unknown route, a body too large) in the same words as the domain's.
const CODE_OF_STATUS: Record<number, string> = {
  ...Object.fromEntries(Object.entries(STATUS).map(([code, status]) => [status, code])),
  [HttpStatus.UNAUTHORIZED]: 'unauthenticated',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'too_large',
};

const DATABASE_RETRY_AFTER_SECONDS = 5;

// Refusals a security monitor counts (the metric security_events_total).
const SECURITY_EVENT_OF: Partial<Record<DomainErrorCode, SecurityEvent>> = {
  unauthenticated: 'refused_access',
  forbidden: 'refused_access',
  too_many: 'lockout',
  step_up_required: 'step_up_required',
};

/** An error of Express's own middleware (body parsing: too large, malformed), safe to show (http-errors). */
interface ClientHttpError {
  status: number;
  expose: true;
  message: string;
  type?: string;
}
const isClientHttpError = (error: unknown): error is ClientHttpError =>
  typeof error === 'object' &&
  error !== null &&
  (error as ClientHttpError).expose === true &&
  typeof (error as ClientHttpError).status === 'number' &&
  (error as ClientHttpError).status >= 400 &&
  (error as ClientHttpError).status < 500;

/** One place that turns errors into responses; bodies never carry stack traces or SQL. */
@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const send = (body: ErrorResponse) => response.status(body.statusCode).json(body);
    if (error instanceof DomainError) {
      const status = STATUS[error.code];
      const event = SECURITY_EVENT_OF[error.code];
      if (event) recordSecurityEvent(event);
      if (error.retryAfterSeconds !== undefined) response.setHeader('Retry-After', String(error.retryAfterSeconds));
      const fields =
        error instanceof InvalidFieldsError
          ? error.fields
          : error.field
            ? [{ field: error.field, message: error.message }]
            : undefined;
      send({ statusCode: status, error: error.code, message: error.message, ...(fields ? { fields } : {}) });
      return;
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      // A failure the framework describes itself (the readiness check's 503 names what is down) goes as it is.
      if (status >= 500 && typeof error.getResponse() === 'object') {
        response.status(status).json(error.getResponse());
        return;
      }
      send({ statusCode: status, error: CODE_OF_STATUS[status] ?? `http_${status}`, message: messageOf(error) });
      return;
    }
    if (isClientHttpError(error)) {
      const tooLarge = error.type === 'entity.too.large';
      send({
        statusCode: error.status,
        error: tooLarge ? 'too_large' : 'invalid',
        message: tooLarge ? 'The request body is larger than this endpoint accepts' : error.message,
      });
      return;
    }
    if (isDatabaseUnavailable(error)) {
      this.logger.warn({ err: loggableError(error) }, 'database unavailable');
      response.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
      send({
        statusCode: HttpStatus.SERVICE_UNAVAILABLE,
        error: 'unavailable',
        message: 'The service is busy or its database unreachable; retry shortly',
      });
      return;
    }
    this.logger.error({ err: loggableError(error) }, 'unhandled error');
    send({ statusCode: HttpStatus.INTERNAL_SERVER_ERROR, error: 'internal', message: 'Internal server error' });
  }
}

/** An HttpException's message as one sentence (Nest's own carry a string or a list). */
function messageOf(error: HttpException): string {
  const body = error.getResponse();
  const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
  return Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : error.message;
}
