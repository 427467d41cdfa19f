import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface DeviceAlert {
  serialNumber: string;
  kind: 'stolen_device_link_attempt';
  accountId: string | null;
  at: Date;
}

const ALERT = `serial_number AS "serialNumber", kind, account_id AS "accountId", at`;

@Injectable()
export class DeviceAlertsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Records a link attempt by another account when the device stands reported stolen; true if raised. */
  async raiseIfStolen(serialNumber: string, accountId: string): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO device_alerts (serial_number, kind, account_id)
       SELECT $1, 'stolen_device_link_attempt', $2 FROM loss_reports
        WHERE serial_number = $1 AND resolved_at IS NULL AND kind = 'stolen'
       RETURNING id`,
      [serialNumber, accountId],
    );
    return rows.length > 0;
  }

  of(serialNumber: string): Promise<DeviceAlert[]> {
    return this.db.query(`SELECT ${ALERT} FROM device_alerts WHERE serial_number = $1 ORDER BY id DESC LIMIT 100`, [
      serialNumber,
    ]);
  }

  /** The newest alerts, but not of a device whose patient restricts processing (its record withholds them too). */
  recent(limit: number): Promise<DeviceAlert[]> {
    return this.db.query(
      `SELECT ${ALERT} FROM device_alerts a
        WHERE NOT EXISTS (SELECT 1 FROM device_patient_permissions p WHERE p.serial_number = a.serial_number AND p.restricted)
        ORDER BY at DESC, id DESC LIMIT $1`,
      [limit],
    );
  }
}
