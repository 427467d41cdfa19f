// Hand-written SQL of the ingest path: one statement per table per batch, arrays bound as parameters
// (unnest), so a batch of 1,000 messages costs three round trips, not 1,000.

// A fix is flagged, kept, and never made the last location when its accuracy is worse than $16 metres or
// reaching it from the device's last location would take more than $17 metres per second (on the
// sphere: a plausibility check, not a measurement).
export const INSERT_TELEMETRY = `
  INSERT INTO telemetry (device_time, message_id, serial_number, model, sent_at, connected_at, received_at,
                         error_codes, battery_pct, flow_setting, firmware, location, accuracy_m, location_captured_at,
                         location_flag, patient_id)
  SELECT t.device_time, t.message_id, t.serial_number, t.model, t.sent_at, t.connected_at, t.received_at,
         CASE WHEN t.error_codes = '' THEN '{}'::text[] ELSE string_to_array(t.error_codes, ',') END,
         t.battery_pct, t.flow_setting, t.firmware, t.point, t.accuracy_m, t.location_captured_at,
         CASE WHEN t.point IS NULL THEN NULL
              WHEN t.accuracy_m > $16 THEN 'inaccurate'
              WHEN s.location IS NOT NULL AND ST_Distance(s.location, t.point, false) > $17 * greatest(1,
                     abs(extract(epoch FROM coalesce(t.location_captured_at, t.device_time) - s.location_time)))
                THEN 'implausible_speed'
         END,
         t.patient_id
    FROM (SELECT u.*, CASE WHEN u.lon IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(u.lon, u.lat), 4326)::geography END AS point
            FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[],
                        $7::timestamptz[], $8::text[], $9::real[], $10::real[], $11::text[], $12::float8[], $13::float8[],
                        $14::real[], $15::timestamptz[], $18::uuid[])
              AS u(device_time, message_id, serial_number, model, sent_at, connected_at, received_at, error_codes,
                   battery_pct, flow_setting, firmware, lat, lon, accuracy_m, location_captured_at, patient_id)) t
    LEFT JOIN device_latest_state s ON s.serial_number = t.serial_number
  ON CONFLICT (serial_number, message_id, device_time) DO NOTHING
  RETURNING serial_number, message_id, device_time, location_flag`;

// Moves each column group forward only when the incoming time is newer: a late message never moves
// the last connection or the last location back.
export const UPSERT_LATEST_STATE = `
  INSERT INTO device_latest_state AS s (serial_number, device_time, error_code, error_codes, location, accuracy_m,
                                        location_captured_at, location_time, updated_at)
  SELECT v.serial_number, v.device_time, v.error_codes[1], v.error_codes,
         CASE WHEN v.lon IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(v.lon, v.lat), 4326)::geography END,
         v.accuracy_m, v.location_captured_at, v.location_time, now()
    FROM (SELECT u.serial_number, u.device_time,
                 CASE WHEN u.error_codes = '' THEN '{}'::text[] ELSE string_to_array(u.error_codes, ',') END AS error_codes,
                 u.lat, u.lon, u.accuracy_m, u.location_captured_at, u.location_time
            FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::float8[], $5::float8[], $6::real[],
                        $7::timestamptz[], $8::timestamptz[])
              AS u(serial_number, device_time, error_codes, lat, lon, accuracy_m, location_captured_at, location_time)
         ) v
  ON CONFLICT (serial_number) DO UPDATE SET
    device_time = GREATEST(s.device_time, EXCLUDED.device_time),
    error_code  = CASE WHEN EXCLUDED.device_time > s.device_time THEN EXCLUDED.error_code ELSE s.error_code END,
    error_codes = CASE WHEN EXCLUDED.device_time > s.device_time THEN EXCLUDED.error_codes ELSE s.error_codes END,
    location = CASE WHEN EXCLUDED.location_time > s.location_time OR s.location_time IS NULL
                    THEN COALESCE(EXCLUDED.location, s.location) ELSE s.location END,
    accuracy_m = CASE WHEN EXCLUDED.location_time > s.location_time OR s.location_time IS NULL
                      THEN COALESCE(EXCLUDED.accuracy_m, s.accuracy_m) ELSE s.accuracy_m END,
    location_captured_at = CASE WHEN EXCLUDED.location_time > s.location_time OR s.location_time IS NULL
                                THEN COALESCE(EXCLUDED.location_captured_at, s.location_captured_at)
                                ELSE s.location_captured_at END,
    location_time = GREATEST(s.location_time, EXCLUDED.location_time),
    updated_at = now()`;

export const INSERT_REJECTED = `
  INSERT INTO rejected_messages (serial_number, message_id, received_at, reason)
  SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[])
  ON CONFLICT DO NOTHING`;

// Stored locations are read only while their patient allows it (device_patient_permissions, migration
// LocationOnlyWhileAllowed), and only those collected for the device's current patient.
const LOCATION_USABLE = `p.may_use_location AND t.patient_id = p.patient_id`;

const TELEMETRY_ITEM = `
  t.message_id AS "messageId", t.serial_number AS "serialNumber", t.model, t.sent_at AS "sentAt",
  t.connected_at AS "connectedAt", t.error_codes AS "errorCodes", t.battery_pct AS "batteryPct",
  t.flow_setting AS "flowSetting", t.firmware, t.received_at AS "receivedAt", t.device_time AS "deviceTime",
  CASE WHEN ${LOCATION_USABLE} THEN ST_Y(t.location::geometry) END AS lat,
  CASE WHEN ${LOCATION_USABLE} THEN ST_X(t.location::geometry) END AS lon,
  CASE WHEN ${LOCATION_USABLE} THEN t.accuracy_m END AS "accuracyM",
  CASE WHEN ${LOCATION_USABLE} THEN t.location_captured_at END AS "capturedAt",
  CASE WHEN ${LOCATION_USABLE} THEN t.location_flag END AS "locationFlag"`;

// A device's history is its current patient's messages only: a former patient's (kept under a legal hold, or
// not erased) are theirs, and the read is accounted to the current one.
export const SELECT_TELEMETRY = (order: 'ASC' | 'DESC'): string => `
  SELECT ${TELEMETRY_ITEM}
    FROM device_patient_permissions p JOIN telemetry t ON t.serial_number = p.serial_number
   WHERE p.serial_number = $1 AND t.patient_id = p.patient_id AND t.device_time >= $2 AND t.device_time < $3
   ORDER BY t.device_time ${order}, t.message_id LIMIT $4`;

export const SELECT_LOCATIONS = `
  SELECT ST_Y(t.location::geometry) AS lat, ST_X(t.location::geometry) AS lon, t.accuracy_m AS "accuracyM",
         COALESCE(t.location_captured_at, t.device_time) AS "capturedAt"
    FROM device_patient_permissions p JOIN telemetry t ON t.serial_number = p.serial_number
   WHERE p.serial_number = $1 AND t.device_time >= $2 AND t.device_time < $3 AND t.location IS NOT NULL
     AND ${LOCATION_USABLE}
   ORDER BY t.device_time, t.message_id LIMIT $4`;

export const SELECT_LATEST_STATE = `
  SELECT s.device_time AS "lastConnectedAt", s.error_code AS "errorCode", s.error_codes AS "errorCodes",
         ST_Y(l.location::geometry) AS lat, ST_X(l.location::geometry) AS lon, l.accuracy_m AS "accuracyM",
         COALESCE(l.location_captured_at, l.location_time) AS "capturedAt"
    FROM device_latest_state s LEFT JOIN disclosable_last_locations l ON l.serial_number = s.serial_number
   WHERE s.serial_number = $1`;

export const SELECT_REJECTED = `
  SELECT message_id AS "messageId", received_at AS "receivedAt", reason
    FROM rejected_messages WHERE serial_number = $1 ORDER BY received_at DESC, id DESC LIMIT $2`;

export const COUNT_SINCE = `
  SELECT (SELECT count(*) FROM telemetry
           WHERE received_at >= $1 AND device_time >= $1::timestamptz - interval '25 months')::int AS stored,
         (SELECT count(*) FROM rejected_messages WHERE received_at >= $1)::int AS rejected`;

export const PROCESSING_OF = `SELECT restricted FROM device_patient_permissions WHERE serial_number = $1`;
