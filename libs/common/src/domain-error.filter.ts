import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, DomainErrorCode } from './domain.error';
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
    if (error instanceof DomainError) {
      const status = STATUS[error.code];
      const event = SECURITY_EVENT_OF[error.code];
      if (event) recordSecurityEvent(event);
      if (error.retryAfterSeconds !== undefined) response.setHeader('Retry-After', String(error.retryAfterSeconds));
      response.status(status).json({
        statusCode: status,
        error: error.code,
        message: error.message,
        ...(error.field ? { field: error.field } : {}),
      });
      return;
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const body = error.getResponse();
      response.status(status).json(typeof body === 'string' ? { statusCode: status, message: body } : body);
      return;
    }
    if (isClientHttpError(error)) {
      const tooLarge = error.type === 'entity.too.large';
      response.status(error.status).json({
        statusCode: error.status,
        error: tooLarge ? 'too_large' : 'invalid',
        message: tooLarge ? 'The request body is larger than this endpoint accepts' : error.message,
      });
      return;
    }
    if (isDatabaseUnavailable(error)) {
      this.logger.warn({ err: loggableError(error) }, 'database unavailable');
      response.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
      response.status(HttpStatus.SERVICE_UNAVAILABLE).json({
        statusCode: HttpStatus.SERVICE_UNAVAILABLE,
        error: 'unavailable',
        message: 'The service is busy or its database unreachable; retry shortly',
      });
      return;
    }
    this.logger.error({ err: loggableError(error) }, 'unhandled error');
    response
      .status(HttpStatus.INTERNAL_SERVER_ERROR)
      .json({ statusCode: HttpStatus.INTERNAL_SERVER_ERROR, message: 'Internal server error' });
  }
}
