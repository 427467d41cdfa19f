import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface LastLocationRow {
  patientId: string | null;
  lat: number | null;
  lon: number | null;
}

// Only a last location its patient allows to be used (disclosable_last_locations) is ever read here.
const LAST_LOCATION = `
  SELECT d.patient_id AS "patientId", ST_Y(l.location::geometry) AS lat, ST_X(l.location::geometry) AS lon
    FROM devices d LEFT JOIN disclosable_last_locations l ON l.serial_number = d.serial_number
   WHERE d.serial_number = $1`;

/** A device's patient and last usable location (null coordinates when none); undefined for no such device. */
@Injectable()
export class LastLocationQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async of(serialNumber: string): Promise<LastLocationRow | undefined> {
    const [row] = (await this.db.query(LAST_LOCATION, [serialNumber])) as LastLocationRow[];
    return row;
  }
}
