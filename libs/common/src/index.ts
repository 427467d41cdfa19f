export { DomainError, DomainErrorCode } from './domain.error';
export { DomainErrorFilter } from './domain-error.filter';
export { strictValidationPipe } from './validation.pipe';
export { loggableError } from './loggable-error';
export { LimitQuery } from './limit.query';
export { SERIAL_NUMBER, SERIAL_NUMBER_MESSAGE } from './serial-number';
export { recordSecurityEvent, SecurityEvent } from './security-events';
export { ClusterRelay, isClusterRelay } from './cluster-relay';
export { secretsEqual } from './secrets-equal';
