import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

// The birth date as the date it is (read as a timestamp, it would be midnight in the server's time zone).
const ACCOUNT = `SELECT id, username, email, to_char(birth_date, 'YYYY-MM-DD') AS "birthDate", created_at AS "createdAt",
                        last_active_at AS "lastActiveAt" FROM users WHERE id = $1`;
const DEVICES = `SELECT serial_number AS "serialNumber", model, linked_at AS "linkedAt" FROM devices
                  WHERE patient_id = $1 ORDER BY serial_number`;
// The patient's own reports, and those support opened for their devices since they linked them (a report
// from before belongs to whoever held the device then).
const LOSS_REPORTS = `
  SELECT r.serial_number AS "serialNumber", r.kind, r.reported_at AS "reportedAt", r.resolved_at AS "resolvedAt"
    FROM loss_reports r LEFT JOIN devices d ON d.serial_number = r.serial_number AND d.patient_id = $1
   WHERE r.reported_by = $1 OR r.reported_at >= d.linked_at
   ORDER BY r.id`;
const DEVICE_CLAIMS = `
  SELECT serial_number AS "serialNumber", state, requested_at AS "requestedAt", decided_at AS "decidedAt", reason
    FROM device_claims WHERE patient_id = $1 ORDER BY requested_at`;
// Every row collected for the patient (whichever device, for as long as it is kept), each made its JSON text by
// the database: the export passes them through, read through a cursor so memory stays flat however many
// there are. Times as JSON.stringify writes a Date (UTC, milliseconds).
const TELEMETRY_BATCH = 2_000;
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const TELEMETRY_CURSOR = `
  DECLARE telemetry_export NO SCROLL CURSOR FOR
  SELECT json_build_object(
           'messageId', message_id, 'serialNumber', serial_number, 'deviceTime', ${iso('device_time')},
           'sentAt', ${iso('sent_at')}, 'connectedAt', ${iso('connected_at')}, 'receivedAt', ${iso('received_at')},
           'errorCodes', error_codes, 'batteryPct', battery_pct, 'flowSetting', flow_setting, 'firmware', firmware,
           'lat', ST_Y(location::geometry), 'lon', ST_X(location::geometry), 'accuracyM', accuracy_m,
           'capturedAt', ${iso('location_captured_at')})::text AS json
    FROM telemetry WHERE patient_id = $1
   ORDER BY device_time, message_id`;

/** What the personal-data export reads of a patient that no other lib's surface gives. */
@Injectable()
export class PersonalDataQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async account(patientId: string): Promise<Record<string, unknown>> {
    const [account] = await this.db.query(ACCOUNT, [patientId]);
    return account;
  }

  devices(patientId: string): Promise<object[]> {
    return this.db.query(DEVICES, [patientId]);
  }

  deviceClaims(patientId: string): Promise<object[]> {
    return this.db.query(DEVICE_CLAIMS, [patientId]);
  }

  lossReports(patientId: string): Promise<object[]> {
    return this.db.query(LOSS_REPORTS, [patientId]);
  }

  /** Every telemetry row as JSON text, page by page, from one read-only snapshot (consistent while new telemetry arrives). */
  async *telemetry(patientId: string): AsyncGenerator<string[]> {
    const runner = this.db.createQueryRunner();
    let committed = false;
    try {
      await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await runner.query(TELEMETRY_CURSOR, [patientId]);
      for (;;) {
        const rows: Array<{ json: string }> = await runner.query(`FETCH ${TELEMETRY_BATCH} FROM telemetry_export`);
        if (rows.length > 0) yield rows.map((row) => row.json);
        if (rows.length < TELEMETRY_BATCH) break;
      }
      await runner.query('COMMIT');
      committed = true;
    } finally {
      // An export broken off midway (the client left) ends its transaction before the connection goes back.
      if (!committed) await runner.query('ROLLBACK').catch(() => undefined);
      await runner.release();
    }
  }
}
