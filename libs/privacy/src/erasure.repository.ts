import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ProviderNoticesRepository, SentNotice } from './provider-notices.repository';

// A placeholder for who reported or resolved a loss report once that person is erased.
const ERASED = '00000000-0000-0000-0000-000000000000';

export interface ErasureOutcome {
  erased: Record<string, number>;
  kept: Array<{ serialNumber: string; reason: string }>;
  /** The notices the supplying providers were sent (policy 001, 10.4), in the same transaction. */
  notices: SentNotice[];
}

/**
 * Erases a patient in the caller's transaction: their account, consents, telemetry and locations, their
 * link to devices (the devices stay, unlinked, to be linked again) and every place their id appears;
 * the audit log keeps its entries, whose pseudonym no longer maps back. A device under legal hold keeps
 * its telemetry, de-identified, and is reported as kept.
 */
@Injectable()
export class ErasureRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly notices: ProviderNoticesRepository,
  ) {}

  /** Erases a patient in a transaction of its own (an inactive account, by retention). */
  eraseAlone(patientId: string): Promise<ErasureOutcome> {
    return this.db.transaction((tx) => this.erase(tx, patientId));
  }

  async erase(tx: EntityManager, patientId: string): Promise<ErasureOutcome> {
    const count = async (sql: string, params: unknown[]) =>
      (await tx.query(`WITH x AS (${sql} RETURNING 1) SELECT count(*)::int AS n FROM x`, params))[0].n as number;
    const devices: Array<{ serial_number: string; hold: string | null }> = await tx.query(
      `SELECT d.serial_number,
              (SELECT h.reason FROM legal_holds h WHERE h.serial_number = d.serial_number AND h.lifted_at IS NULL LIMIT 1) AS hold
         FROM devices d WHERE d.patient_id = $1 FOR UPDATE`,
      [patientId],
    );
    // Told while the devices are still the patient's: the notice names the device, never the patient.
    const notices = await this.notices.notify(patientId, 'erasure', tx);
    const held = devices.filter((d) => d.hold !== null).map((d) => d.serial_number);
    const free = devices.filter((d) => d.hold === null).map((d) => d.serial_number);
    const erased = {
      telemetry: await count(`DELETE FROM telemetry WHERE patient_id = $1 AND NOT (serial_number = ANY($2::text[]))`, [
        patientId,
        held,
      ]),
      // Every device's, held or not: a cache of the telemetry, which is what a hold keeps (unlinking below would
      // clear it anyway, as a device changing hands starts afresh).
      latestStates: await count(`DELETE FROM device_latest_state WHERE serial_number = ANY($1::text[])`, [
        devices.map((d) => d.serial_number),
      ]),
      // Alarms come from the telemetry (their comments and deliveries go with them); a hold keeps them too.
      alarms: await count(`DELETE FROM alarms WHERE patient_id = $1 AND NOT (serial_number = ANY($2::text[]))`, [
        patientId,
        held,
      ]),
      consentEvents: await count(`DELETE FROM consent_events WHERE patient_id = $1`, [patientId]),
      deviceLinks: await count(
        `UPDATE devices SET patient_id = NULL, secret_hash = NULL, linked_at = NULL WHERE patient_id = $1`,
        [patientId],
      ),
      auditPseudonyms: await count(`DELETE FROM audit_subjects WHERE patient_id = $1`, [patientId]),
      accounts: 0,
    };
    await tx.query(`UPDATE telemetry SET patient_id = NULL WHERE patient_id = $1`, [patientId]);
    await tx.query(`UPDATE alarms SET patient_id = NULL WHERE patient_id = $1`, [patientId]);
    // Staff's words on the patient's reports (a call, a police report) go with the patient, unless held.
    await tx.query(
      `UPDATE loss_reports SET reason = NULL, resolution_reason = NULL
        WHERE (reported_by = $1 OR serial_number = ANY($2::text[])) AND NOT (serial_number = ANY($3::text[]))`,
      [patientId, free, held],
    );
    await tx.query(`UPDATE loss_reports SET reported_by = $2 WHERE reported_by = $1`, [patientId, ERASED]);
    await tx.query(`UPDATE loss_reports SET resolved_by = $2 WHERE resolved_by = $1`, [patientId, ERASED]);
    await tx.query(`UPDATE device_alerts SET account_id = NULL WHERE account_id = $1`, [patientId]);
    await tx.query(`UPDATE privacy_requests SET patient_id = NULL WHERE patient_id = $1`, [patientId]);
    // Lifted holds on the patient (a standing one refuses the erasure); who placed and lifted them stays in the audit.
    await tx.query(`DELETE FROM legal_holds WHERE patient_id = $1 AND lifted_at IS NOT NULL`, [patientId]);
    erased.accounts = await count(`DELETE FROM users WHERE id = $1`, [patientId]);
    return {
      erased,
      kept: devices
        .filter((d) => d.hold !== null)
        .map((d) => ({ serialNumber: d.serial_number, reason: `legal hold: ${d.hold}` })),
      notices,
    };
  }

  /** Whether the patient is under a legal hold as a person (then nothing of theirs is erased). */
  async patientHeld(tx: EntityManager, patientId: string): Promise<string | null> {
    const [row] = await tx.query(`SELECT reason FROM legal_holds WHERE patient_id = $1 AND lifted_at IS NULL LIMIT 1`, [
      patientId,
    ]);
    return row?.reason ?? null;
  }
}
