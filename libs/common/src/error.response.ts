import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldError {
  /** The field at fault, as a path into the request (`features[1].kind`). */
  @ApiProperty() field!: string;
  @ApiProperty() message!: string;
}

/**
 * The body of every refusal (4xx), whichever layer refused, and of the service's own failures (5xx; the
 * readiness check's 503 says what is down in its own terms): one shape for clients to read.
 */
export class ErrorResponse {
  @ApiProperty() statusCode!: number;
  /** For code: invalid, unauthenticated, step_up_required, forbidden, not_found, conflict, too_large, too_many, unavailable, internal. */
  @ApiProperty() error!: string;
  /** For people: what was refused and why. */
  @ApiProperty() message!: string;
  /** The request's fields at fault, each with why (a 400's every field; a refusal naming one field, that field). */
  @ApiPropertyOptional({ type: [FieldError] }) fields?: FieldError[];
}
