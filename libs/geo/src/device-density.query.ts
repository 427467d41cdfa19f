import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface DensityCell {
  center: { lat: number; lon: number };
  devices: number;
}

// Counts devices per square cell (centred on the grid's points) of an equal-area grid (EPSG:6933, so every cell covers the same area
// wherever it lies), keeps only cells with at least k devices, and rounds each count down to a multiple
// of k: no cell shows an exact small number. The cell's centre is all that is said of a location. Only
// locations their patients allow to be used are counted (market analysis is one of the policy's purposes).
const DENSITY = `
  WITH cells AS (
    SELECT ST_SnapToGrid(ST_Transform(s.location::geometry, 6933), $1) AS cell, count(*) AS n
      FROM disclosable_last_locations s JOIN devices d ON d.serial_number = s.serial_number
     WHERE $2::text IS NULL OR d.model = $2
     GROUP BY 1)
  SELECT round(ST_Y(ST_Transform(cell, 4326))::numeric, 3)::float8 AS lat,
         round(ST_X(ST_Transform(cell, 4326))::numeric, 3)::float8 AS lon,
         (n / $3) * $3 AS devices
    FROM cells WHERE n >= $3
   ORDER BY devices DESC, lat, lon`;

@Injectable()
export class DeviceDensityQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async run(cellKm: number, k: number, model?: string): Promise<DensityCell[]> {
    const rows: Array<{ lat: number; lon: number; devices: string }> = await this.db.query(DENSITY, [
      cellKm * 1000,
      model ?? null,
      k,
    ]);
    return rows.map((r) => ({ center: { lat: r.lat, lon: r.lon }, devices: Number(r.devices) }));
  }
}
