/**
 * Every column of the schema that can hold a patient's user id, beyond those whose foreign key to `users`
 * deletes or clears them with the account (ON DELETE CASCADE / SET NULL), and what an erasure does with
 * each. `test/e2e/patient-columns.e2e-spec.ts` reads the schema and fails on a uuid column classified nowhere.
 */
export const ERASED_PATIENT_COLUMNS: Readonly<Record<string, string>> = {
  'users.id': 'the account is deleted',
  'devices.patient_id': 'cleared: the device is unlinked',
  'telemetry.patient_id': 'deleted, or cleared on a device under a legal hold',
  'alarms.patient_id': 'deleted, or cleared on a device under a legal hold',
  'audit_subjects.patient_id': 'the pseudonym mapping is deleted: the audit chain keeps only pseudonyms',
  'loss_reports.reported_by': 'replaced by the erased marker',
  'loss_reports.resolved_by': 'replaced by the erased marker',
  'device_alerts.account_id': 'cleared',
  'legal_holds.patient_id': 'lifted holds deleted (a standing hold refuses the erasure)',
};

/** uuid columns that never hold a patient's id: staff and provider users, providers, and rows' own ids. */
export const NOT_PATIENT_COLUMNS: readonly string[] = [
  'alarm_codes.updated_by',
  'alarm_comments.author',
  'alarm_comments.provider_id',
  'alarms.acknowledged_by',
  'alarms.assignee',
  'alarms.shared_with',
  'audit_log.actor_id', // a patient acting is written as their pseudonym
  'audit_subjects.pseudonym',
  'auth_sessions.id',
  'device_claims.decided_by',
  'device_claims.id',
  'devices.supplied_by',
  'legal_holds.lifted_by',
  'legal_holds.placed_by',
  'privacy_requests.completed_by',
  'privacy_requests.id',
  'privacy_requests.recorded_by',
  'processing_restrictions.request_id',
  'provider_notices.provider_id',
  'providers.id',
  'security_incidents.closed_by',
  'security_incidents.opened_by',
  'service_offices.id',
  'users.provider_id',
  'webhook_deliveries.webhook_id',
  'webhooks.created_by',
  'webhooks.id',
  'webhooks.provider_id',
];
