import type { AppConfig } from '@poc/config';
import { RetentionCategory, retentionSchedule } from './retention.schedule';

/** A category of the register: what is held, why, on what basis, from where, and which retention rows apply. */
const CATEGORIES: Array<{
  category: string;
  data: string[];
  purpose: string;
  legalBasis: string;
  source: string;
  retainedAs: RetentionCategory[];
}> = [
  {
    category: 'account',
    data: ['username', 'email', 'birth date', 'sign-in sessions'],
    purpose: 'running the patient account and the mobile app link',
    legalBasis: 'contract',
    source: 'the patient',
    retainedAs: ['inactive_accounts', 'sessions', 'attempt_counts'],
  },
  {
    category: 'device telemetry',
    data: ['serial number', 'model', 'error codes', 'battery', 'flow setting', 'firmware', 'connection times'],
    purpose: 'device support, safety and maintenance',
    legalBasis: 'contract; legal obligation for medical-device vigilance',
    source: "the patient's device, relayed by the mobile app",
    retainedAs: ['telemetry', 'rejected_messages'],
  },
  {
    category: 'location',
    data: ['device location fixes', 'the last location'],
    purpose:
      'finding lost or stolen devices, market analysis in aggregate, the nearest service office; shared with the supplying provider',
    legalBasis: 'consent (locationCollection, shareWithProvider), withdrawable at any time',
    source: "the mobile app's location service",
    retainedAs: ['telemetry', 'last_location', 'resolved_loss_reports'],
  },
  {
    category: 'consents and privacy requests',
    data: ['choices with their history', 'requests and their outcome'],
    purpose: 'proving and honouring the choices made',
    legalBasis: 'legal obligation',
    source: 'the patient',
    retainedAs: ['inactive_accounts', 'privacy_requests'],
  },
  {
    category: 'accounting of disclosures',
    data: ['who read which data of the patient, when, and why'],
    purpose: 'HIPAA accounting of disclosures; security',
    legalBasis: 'legal obligation',
    source: 'this service',
    retainedAs: ['audit_entries'],
  },
];

/**
 * The extract of the register of processing given with every export (GDPR art. 15(1), CCPA's categories
 * and purposes): what is held, why, from where, who receives it, and for how long, the last generated from
 * the retention table the retention job enforces.
 */
export function processingRegister(config: AppConfig) {
  const schedule = retentionSchedule(config);
  return {
    controller: 'the device manufacturer',
    categories: CATEGORIES.map(({ retainedAs, ...category }) => ({
      ...category,
      retention: schedule
        .filter((rule) => retainedAs.includes(rule.category))
        .map((rule) => `${rule.data}: ${rule.keptFor}`),
    })),
    retention: schedule.map(({ category, data, keptFor, removedBy }) => ({ category, data, keptFor, removedBy })),
    recipients: [
      'the home-care provider that supplied the device: serial, model, last connection, error code, last location, while shared',
      "the manufacturer's support, field service and privacy staff, each limited to what their role needs",
      'partners, for device reliability: pseudonymous counts per device and month, never of a patient who opted out of sale',
    ],
    sale: 'personal data is not sold; a sale opt-out is recorded and honoured by every export to third parties',
  };
}
