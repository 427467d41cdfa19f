import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface LostDeviceRow {
  serialNumber: string;
  model: string;
  patientId: string | null;
  kind: 'lost' | 'stolen';
  reportedAt: Date;
  lat: number;
  lon: number;
  distanceM: number;
}

// Devices under an open loss report whose last location (one its patient allows to be used) lies within
// the radius (ST_DWithin on geography: geodesic, and served by the GiST index on the latest state's
// location), nearest first.
export const LOST_DEVICES_NEAR = `
  WITH here AS (SELECT ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography AS g)
  SELECT d.serial_number AS "serialNumber", d.model, d.patient_id AS "patientId", r.kind, r.reported_at AS "reportedAt",
         ST_Y(s.location::geometry) AS lat, ST_X(s.location::geometry) AS lon, ST_Distance(s.location, here.g) AS "distanceM"
    FROM here, disclosable_last_locations s
    JOIN loss_reports r ON r.serial_number = s.serial_number AND r.resolved_at IS NULL
    JOIN devices d ON d.serial_number = s.serial_number
   WHERE ST_DWithin(s.location, here.g, $3)
   ORDER BY "distanceM", d.serial_number
   LIMIT $4`;

@Injectable()
export class LostDevicesQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  near(point: { lat: number; lon: number }, radiusM: number, limit: number): Promise<LostDeviceRow[]> {
    return this.db.query(LOST_DEVICES_NEAR, [point.lat, point.lon, radiusM, limit]);
  }
}
