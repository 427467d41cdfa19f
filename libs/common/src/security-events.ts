import { Counter, register } from 'prom-client';

/** What a security monitor watches for (HIPAA security incident procedures; policy 002's monitoring). */
export type SecurityEvent =
  | 'lockout'
  | 'refused_access'
  | 'step_up_required'
  | 'bulk_export'
  | 'audit_chain_broken'
  | 'privileged_account_created';

// One counter for the process (tests boot several apps in one process: registered once).
const events =
  (register.getSingleMetric('security_events_total') as Counter<'kind'> | undefined) ??
  new Counter({ name: 'security_events_total', help: 'Security events by kind', labelNames: ['kind'] });

export const recordSecurityEvent = (kind: SecurityEvent): void => events.inc({ kind });
