import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@poc/audit';
import type { Principal } from '@poc/auth';
import { ConsentService } from '@poc/consent';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { DataSource } from 'typeorm';
import { toView } from './privacy-request';
import { PrivacyRequestsRepository } from './privacy-requests.repository';
import { PROCESSING_REGISTER } from './processing-register';

const PAGE = 2000;

const ACCOUNT = `SELECT id, username, email, birth_date AS "birthDate", created_at AS "createdAt",
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
// Keyset pages over the last 12 months of the patient's own rows: memory stays flat however many there are.
const TELEMETRY_PAGE = `
  SELECT message_id AS "messageId", serial_number AS "serialNumber", device_time AS "deviceTime", sent_at AS "sentAt",
         connected_at AS "connectedAt", received_at AS "receivedAt", error_codes AS "errorCodes",
         battery_pct AS "batteryPct", flow_setting AS "flowSetting", firmware,
         ST_Y(location::geometry) AS lat, ST_X(location::geometry) AS lon, accuracy_m AS "accuracyM",
         location_captured_at AS "capturedAt",
         device_time::text AS cursor -- exact to the microsecond; a JS Date would round it to milliseconds
    FROM telemetry
   WHERE serial_number = ANY($1::text[]) AND patient_id = $2 AND device_time >= now() - interval '12 months'
     AND (device_time, message_id) > ($3::timestamptz, $4::text)
   ORDER BY device_time, message_id LIMIT ${PAGE}`;

/** The patient's export (access and portability): every category, streamed as one JSON document. */
@Injectable()
export class PersonalDataExport {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly consent: ConsentService,
    private readonly requests: PrivacyRequestsRepository,
    private readonly audit: AuditService,
  ) {}

  async write(patient: Principal, out: Writable): Promise<void> {
    const id = patient.userId;
    const [account] = await this.db.query(ACCOUNT, [id]);
    const devices: Array<{ serialNumber: string }> = await this.db.query(DEVICES, [id]);
    const serials = devices.map((d) => d.serialNumber);
    await this.audit.record(patient, 'patient.export', [
      { serialNumber: null, patientId: id, fields: ['account', 'devices', 'consents', 'telemetry', 'locations'] },
    ]);
    const head = {
      exportedAt: new Date(),
      register: PROCESSING_REGISTER,
      account,
      devices,
      consents: await this.consent.stateOf(id),
      deviceClaims: await this.db.query(DEVICE_CLAIMS, [id]),
      lossReports: await this.db.query(LOSS_REPORTS, [id]),
      privacyRequests: (await this.requests.ofPatient(id)).map((r) => toView(r)),
      disclosures: await this.audit.disclosures({ patientId: id }, 10_000),
    };
    const write = async (chunk: string) => {
      if (!out.write(chunk)) await once(out, 'drain');
    };
    await write(`${JSON.stringify(head).slice(0, -1)},"telemetry":[`);
    let after: [string, string] = ['-infinity', ''];
    let first = true;
    for (;;) {
      const rows: Array<Record<string, unknown> & { cursor: string; messageId: string }> = await this.db.query(
        TELEMETRY_PAGE,
        [serials, id, after[0], after[1]],
      );
      if (rows.length === 0) break;
      await write((first ? '' : ',') + rows.map(({ cursor: _cursor, ...row }) => JSON.stringify(row)).join(','));
      first = false;
      const last = rows[rows.length - 1];
      after = [last.cursor, last.messageId];
      if (rows.length < PAGE) break;
    }
    out.end(']}');
    // An access request is answered by this: it completes when the patient has taken their export.
    await this.requests.completeOpenAccess(id, { exportedAt: head.exportedAt });
  }
}
