import type { FieldError } from './error.response';

export type DomainErrorCode =
  | 'invalid' // the request is well-formed but breaks a rule (400)
  | 'unauthenticated' // no or bad credentials (401)
  | 'step_up_required' // signed in, but too long ago for this act: sign in again (401)
  | 'forbidden' // the role may not do this (403)
  | 'not_found' // absent, or not visible to the caller (404)
  | 'conflict' // clashes with existing state (409)
  | 'too_many' // rate limited (429)
  | 'unavailable'; // a dependency is down (503)

/** What every lib throws for an expected failure; one filter maps the code to an HTTP status. */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly field?: string,
    /** For `too_many`: when to try again, sent as Retry-After. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** A request refused for its fields: every field at fault, each with why. */
export class InvalidFieldsError extends DomainError {
  constructor(readonly fields: FieldError[]) {
    super('invalid', fields.map((f) => f.message).join('; '), fields[0]?.field);
  }
}
