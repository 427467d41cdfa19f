import { ValidationError, ValidationPipe } from '@nestjs/common';
import { InvalidFieldsError } from './domain.error';
import type { FieldError } from './error.response';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      // class-validator names the leaf property; prefix the full path for nested fields.
      message: parent ? `${field}: ${message}` : message,
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Bodies and queries: unknown fields rejected, every message naming its field. */
export const strictValidationPipe = (): ValidationPipe =>
  new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    exceptionFactory: (errors) => new InvalidFieldsError(flatten(errors)),
  });
