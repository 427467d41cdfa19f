import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface MapDeviceRow {
  serialNumber: string;
  model: string;
  patientId: string | null;
  lastConnectedAt: Date;
  lat: number;
  lon: number;
  lossKind: 'lost' | 'stolen' | null;
  lossReportedAt: Date | null;
}

// Devices whose last location (one its patient allows to be used) lies inside a longitude/latitude
// rectangle (edges included), served by the geometry GiST index; `onlyLost` keeps to devices under an
// open loss report.
const IN_BOX = `
  SELECT d.serial_number AS "serialNumber", d.model, d.patient_id AS "patientId", s.device_time AS "lastConnectedAt",
         ST_Y(s.location::geometry) AS lat, ST_X(s.location::geometry) AS lon,
         r.kind AS "lossKind", r.reported_at AS "lossReportedAt"
    FROM disclosable_last_locations s
    JOIN devices d ON d.serial_number = s.serial_number
    LEFT JOIN loss_reports r ON r.serial_number = s.serial_number AND r.resolved_at IS NULL
   WHERE s.location::geometry && ST_MakeEnvelope($1, $2, $3, $4, 4326)
     AND (NOT $5 OR r.id IS NOT NULL)
   ORDER BY d.serial_number
   LIMIT $6`;

@Injectable()
export class MapDevicesQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  inBox(box: [number, number, number, number], onlyLost: boolean, limit: number): Promise<MapDeviceRow[]> {
    return this.db.query(IN_BOX, [...box, onlyLost, limit]);
  }
}
