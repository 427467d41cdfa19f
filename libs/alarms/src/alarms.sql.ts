import { OFFLINE_TEXT } from './error-code.catalog';

// Hand-written SQL of the alarm rules, the lifecycle and the webhook outbox.

/** A timestamp as the API writes it (ISO 8601, UTC, milliseconds). */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The text of an alarm `a` for an audience, from the catalog entry `k` of its device's model. */
export const alarmText = (audience: 'provider' | 'support') =>
  `CASE WHEN a.kind = 'offline' THEN '${OFFLINE_TEXT}'
        ELSE coalesce(k.${audience}_text, 'Unknown error code ' || a.code) END`;

// Evaluations (raising, clearing, escalating) run one at a time across every instance: each sees what the
// one before it committed, so a slower evaluation of an older state never undoes a newer one.
export const EVALUATION_LOCK = `SELECT pg_advisory_xact_lock(7161001)`;

// The devices evaluated: linked, and their patient not restricting processing ($1: these serials, or all).
// An alarm raised while the patient shares with the supplying provider is that provider's to see (shared_with).
const SCOPE = `
  SELECT p.serial_number, p.patient_id, p.model, s.error_codes,
         CASE WHEN p.may_share THEN p.supplied_by END AS shared_with
    FROM device_patient_permissions p JOIN device_latest_state s ON s.serial_number = p.serial_number
   WHERE ($1::text[] IS NULL OR p.serial_number = ANY ($1)) AND p.patient_id IS NOT NULL AND NOT p.restricted`;

/**
 * The error-code rule: each code of a device's latest state (which a late message never moves back) has
 * exactly one active alarm, of its catalogued kind or "unknown_code"; an alarm whose code is no longer
 * reported clears. Gives the alarms raised and cleared, as events.
 */
export const EVALUATE_CODES = `
  WITH scope AS (${SCOPE}),
  desired AS (
    SELECT DISTINCT sc.serial_number, sc.patient_id, sc.shared_with, c.code,
           CASE WHEN k.code IS NULL THEN 'unknown_code' ELSE 'error_code' END AS kind,
           coalesce(k.severity, 'major') AS severity
      FROM scope sc CROSS JOIN LATERAL unnest(sc.error_codes) AS c(code)
      LEFT JOIN alarm_codes k ON k.model = sc.model AND k.code = c.code
  ),
  raised AS (
    INSERT INTO alarms (serial_number, patient_id, shared_with, kind, code, severity)
    SELECT serial_number, patient_id, shared_with, kind, code, severity FROM desired
    ON CONFLICT (serial_number, kind, (coalesce(code, ''))) WHERE state = 'active' DO NOTHING
    RETURNING id
  ),
  cleared AS (
    UPDATE alarms a SET state = 'cleared', cleared_at = now()
      FROM scope sc
     WHERE a.serial_number = sc.serial_number AND a.state = 'active' AND a.kind IN ('error_code', 'unknown_code')
       AND NOT EXISTS (SELECT 1 FROM desired d
                        WHERE d.serial_number = a.serial_number AND d.kind = a.kind AND d.code = a.code
                          AND d.patient_id = a.patient_id)
    RETURNING a.id
  )
  SELECT id::text, 'alarm.raised' AS event FROM raised
  UNION ALL SELECT id::text, 'alarm.cleared' FROM cleared`;

/**
 * The silence rule: a linked device that has not reported for longer than its model's period ($1, unless
 * the model sets one) has one active "offline" alarm, which clears when it reports again. A device that
 * changed hands ends its former patient's alarms.
 */
export const EVALUATE_SILENCE = `
  WITH silent AS (
    SELECT p.serial_number, p.patient_id, CASE WHEN p.may_share THEN p.supplied_by END AS shared_with,
           s.updated_at < now() - coalesce(m.offline_after, $1::interval) AS is_silent
      FROM device_patient_permissions p JOIN device_latest_state s ON s.serial_number = p.serial_number
      LEFT JOIN alarm_models m ON m.model = p.model
     WHERE p.patient_id IS NOT NULL AND NOT p.restricted
  ),
  raised AS (
    INSERT INTO alarms (serial_number, patient_id, shared_with, kind, code, severity)
    SELECT serial_number, patient_id, shared_with, 'offline', NULL, 'major' FROM silent WHERE is_silent
    ON CONFLICT (serial_number, kind, (coalesce(code, ''))) WHERE state = 'active' DO NOTHING
    RETURNING id
  ),
  cleared AS (
    UPDATE alarms a SET state = 'cleared', cleared_at = now()
     WHERE a.state = 'active'
       AND ((a.kind = 'offline' AND EXISTS (SELECT 1 FROM silent s
                                              WHERE s.serial_number = a.serial_number AND NOT s.is_silent))
            OR NOT EXISTS (SELECT 1 FROM devices d WHERE d.serial_number = a.serial_number AND d.patient_id = a.patient_id))
    RETURNING a.id
  )
  SELECT id::text, 'alarm.raised' AS event FROM raised
  UNION ALL SELECT id::text, 'alarm.cleared' FROM cleared`;

/** Escalation: an active alarm nobody acknowledged within $1 goes to the next stage, once (not while restricted). */
export const ESCALATE = `
  WITH escalated AS (
    UPDATE alarms a SET escalated_at = now()
     WHERE a.state = 'active' AND a.acknowledged_at IS NULL AND a.escalated_at IS NULL
       AND a.raised_at <= now() - $1::interval
       AND EXISTS (SELECT 1 FROM device_patient_permissions p
                    WHERE p.serial_number = a.serial_number AND p.patient_id = a.patient_id AND NOT p.restricted)
    RETURNING a.id)
  SELECT id::text, 'alarm.escalated' AS event FROM escalated`;

/** Whether alarm `a` (of the device's current patient `p`) may reach `provider`. */
export const SHARED_WITH = (provider: string) =>
  `a.shared_with = ${provider} AND p.supplied_by = a.shared_with AND p.may_share`;

/**
 * The outbox: one delivery per event and webhook that wants it (its events, its severity floor), written
 * in the event's transaction, for alarms of a device's current patient who does not restrict processing.
 * A provider's webhook hears only of alarms it may read (raised while shared with it, still shared); the
 * payload names no patient.
 */
export const ENQUEUE_DELIVERIES = `
  INSERT INTO webhook_deliveries (webhook_id, alarm_id, event, payload)
  SELECT w.id, a.id, e.event, jsonb_build_object(
           'event', e.event, 'at', ${iso('now()')},
           'alarm', jsonb_build_object(
             'id', a.id::text, 'serialNumber', a.serial_number, 'kind', a.kind, 'code', a.code,
             'severity', a.severity,
             'text', CASE WHEN w.provider_id IS NULL THEN ${alarmText('support')} ELSE ${alarmText('provider')} END,
             'state', a.state, 'acknowledged', a.acknowledged_at IS NOT NULL,
             'raisedAt', ${iso('a.raised_at')}, 'clearedAt', ${iso('a.cleared_at')}))
    FROM unnest($1::bigint[], $2::text[]) AS e(alarm_id, event)
    JOIN alarms a ON a.id = e.alarm_id
    JOIN device_patient_permissions p ON p.serial_number = a.serial_number AND p.patient_id = a.patient_id
    LEFT JOIN alarm_codes k ON k.model = p.model AND k.code = a.code
    JOIN webhooks w ON w.disabled_at IS NULL AND e.event = ANY (w.events)
                   AND alarm_severity_rank(a.severity) >= alarm_severity_rank(w.min_severity)
   WHERE NOT p.restricted
     AND (w.provider_id IS NULL OR (${SHARED_WITH('w.provider_id')}))`;

const INTERNAL_ALARM = `
  a.id::text, a.serial_number AS "serialNumber", a.kind, a.code, a.severity, ${alarmText('support')} AS text,
  a.state, a.acknowledged_at IS NOT NULL AS acknowledged, a.raised_at AS "raisedAt", a.cleared_at AS "clearedAt",
  a.acknowledged_at AS "acknowledgedAt", a.acknowledged_by AS "acknowledgedBy", a.assignee,
  a.escalated_at AS "escalatedAt", k.action, a.patient_id AS "patientId"`;

// Support reads the alarms of each device's current patient, and none while that patient restricts processing.
const INTERNAL_FROM = `
  FROM alarms a
  JOIN device_patient_permissions p ON p.serial_number = a.serial_number AND p.patient_id = a.patient_id
  LEFT JOIN alarm_codes k ON k.model = p.model AND k.code = a.code
 WHERE NOT p.restricted`;

export const INTERNAL_ALARMS_PAGE = `
  SELECT ${INTERNAL_ALARM} ${INTERNAL_FROM}
   AND a.id < $1 AND ($2::text IS NULL OR a.state = $2) AND ($3::text IS NULL OR a.serial_number = $3)
   AND alarm_severity_rank(a.severity) >= alarm_severity_rank(coalesce($4, 'info'))
 ORDER BY a.id DESC LIMIT $5`;

export const INTERNAL_ALARM_BY_ID = `SELECT ${INTERNAL_ALARM} ${INTERNAL_FROM} AND a.id = $1`;

const PROVIDER_ALARM = `
  id::text, serial_number AS "serialNumber", kind, code, severity, text, state, acknowledged,
  raised_at AS "raisedAt", cleared_at AS "clearedAt"`;

export const PROVIDER_ALARMS_PAGE = `SELECT ${PROVIDER_ALARM} FROM provider_alarms_page($1, $2, $3, $4, $5)`;

export const PROVIDER_ALARM_BY_ID = `SELECT ${PROVIDER_ALARM} FROM provider_alarm($1, $2, $3)`;

export const ACKNOWLEDGE = `
  WITH acknowledged AS (
    UPDATE alarms SET acknowledged_at = now(), acknowledged_by = $2 WHERE id = $1 AND acknowledged_at IS NULL
    RETURNING id)
  SELECT id::text, 'alarm.acknowledged' AS event FROM acknowledged`;
