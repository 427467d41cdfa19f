import type { AppConfig } from '@poc/config';

export const RETENTION_CATEGORIES = [
  'telemetry',
  'last_location',
  'rejected_messages',
  'sessions',
  'attempt_counts',
  'resolved_loss_reports',
  'privacy_requests',
  'inactive_accounts',
  'audit_entries',
] as const;
export type RetentionCategory = (typeof RETENTION_CATEGORIES)[number];

/** How long one category of data is kept, and who removes it then. */
export interface RetentionRule {
  category: RetentionCategory;
  data: string;
  keptFor: string;
  /** Rows older than this go (or, for accounts, accounts inactive since then). */
  cutoff: (now: Date) => Date;
  removedBy: 'the service, hourly' | "the database's maintenance role";
}

const monthsBefore = (now: Date, months: number) => new Date(new Date(now).setUTCMonth(now.getUTCMonth() - months));
const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * 86_400_000);

/**
 * Retention by category, in one table: the retention job enforces each row, and the register extract every
 * export carries is generated from it. Periods from the policies (002: technical data 24 months; 001: IP
 * addresses 45 days; accounts 5 years after the last activity; HIPAA: audit 6 years), configurable.
 */
export function retentionSchedule(config: AppConfig): RetentionRule[] {
  const service = 'the service, hourly' as const;
  return [
    {
      category: 'telemetry',
      data: 'device telemetry and location fixes (not under legal hold)',
      keptFor: `${config.RETENTION_TELEMETRY_MONTHS} months`,
      cutoff: (now) => monthsBefore(now, config.RETENTION_TELEMETRY_MONTHS),
      removedBy: service,
    },
    {
      category: 'last_location',
      data: "a device's last location, when no newer one came (not under legal hold)",
      keptFor: `${config.RETENTION_LAST_LOCATION_MONTHS} months`,
      cutoff: (now) => monthsBefore(now, config.RETENTION_LAST_LOCATION_MONTHS),
      removedBy: service,
    },
    {
      category: 'rejected_messages',
      data: 'rejected messages (their reason, never their payload)',
      keptFor: `${config.RETENTION_REJECTED_DAYS} days`,
      cutoff: (now) => daysBefore(now, config.RETENTION_REJECTED_DAYS),
      removedBy: service,
    },
    {
      category: 'sessions',
      data: 'ended sign-in sessions',
      keptFor: `${config.RETENTION_SESSIONS_DAYS} days after they end`,
      cutoff: (now) => daysBefore(now, config.RETENTION_SESSIONS_DAYS),
      removedBy: service,
    },
    {
      category: 'attempt_counts',
      data: 'counts of sign-in, registration and link attempts (hashed usernames and addresses)',
      keptFor: 'until their 15-minute window and lockout are over (well inside 45 days)',
      cutoff: (now) => now,
      removedBy: service,
    },
    {
      category: 'resolved_loss_reports',
      data: 'loss reports once resolved, and stolen-device alerts',
      keptFor: `${config.RETENTION_RESOLVED_REPORTS_MONTHS} months`,
      cutoff: (now) => monthsBefore(now, config.RETENTION_RESOLVED_REPORTS_MONTHS),
      removedBy: service,
    },
    {
      category: 'privacy_requests',
      data: 'answered privacy requests, as proof of the answer',
      keptFor: `${config.RETENTION_PRIVACY_REQUESTS_YEARS} years after the answer`,
      cutoff: (now) => monthsBefore(now, 12 * config.RETENTION_PRIVACY_REQUESTS_YEARS),
      removedBy: service,
    },
    {
      category: 'inactive_accounts',
      data: 'patient accounts (with their consents) unused for years, erased whole (not under legal hold)',
      keptFor: `${config.RETENTION_INACTIVE_ACCOUNT_YEARS} years after the last activity`,
      cutoff: (now) => monthsBefore(now, 12 * config.RETENTION_INACTIVE_ACCOUNT_YEARS),
      removedBy: service,
    },
    {
      category: 'audit_entries',
      data: 'the audit trail of reads (the accounting of disclosures)',
      keptFor: `${config.RETENTION_AUDIT_YEARS} years`,
      cutoff: (now) => monthsBefore(now, 12 * config.RETENTION_AUDIT_YEARS),
      removedBy: "the database's maintenance role",
    },
  ];
}
