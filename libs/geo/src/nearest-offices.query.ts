import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { OfficeKind } from './service-office.dto';

export interface NearestOffice {
  id: string;
  name: string;
  kind: OfficeKind;
  location: { lat: number; lon: number };
  distanceM: number;
}

// KNN on the GiST index (`<->` orders by distance on the sphere), then the candidates re-ranked by the
// geodesic distance on the WGS 84 ellipsoid (ST_Distance on geography, use_spheroid defaults to true).
// Sphere and ellipsoid differ by under 0.5 %, so twice the limit plus a margin of candidates holds the
// true nearest offices. The point is written out, not taken from a CTE: the index orders by `<->` only
// against a value known when the scan starts.
const HERE = 'ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography';
export const NEAREST_OFFICES = `
  WITH candidates AS (
    SELECT o.id, o.name, o.kind, o.location
      FROM service_offices o
     WHERE ($4::text IS NULL OR o.kind = $4) AND ($5::text IS NULL OR o.properties->'modelsServiced' ? $5)
     ORDER BY o.location <-> ${HERE}
     LIMIT $3 * 2 + 16)
  SELECT c.id, c.name, c.kind, ST_Y(c.location::geometry) AS lat, ST_X(c.location::geometry) AS lon,
         ST_Distance(c.location, ${HERE}) AS "distanceM"
    FROM candidates c
   ORDER BY "distanceM", c.id
   LIMIT $3`;

/** The service offices nearest a point, nearest first, with their geodesic distance in metres. */
@Injectable()
export class NearestOfficesQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async run(
    point: { lat: number; lon: number },
    limit: number,
    filter: { kind?: OfficeKind; model?: string } = {},
  ): Promise<NearestOffice[]> {
    const rows: Array<{ id: string; name: string; kind: OfficeKind; lat: number; lon: number; distanceM: number }> =
      await this.db.query(NEAREST_OFFICES, [point.lat, point.lon, limit, filter.kind ?? null, filter.model ?? null]);
    return rows.map(({ id, name, kind, lat, lon, distanceM }) => ({
      id,
      name,
      kind,
      location: { lat, lon },
      distanceM,
    }));
  }
}

const DISTANCE_BAND_M = 10_000;

/**
 * The offices with each distance rounded up to 10 km: for a reader who may rank offices by a device's location
 * but not see it, since exact distances to three offices would place the device (trilateration).
 */
export const inDistanceBands = (offices: NearestOffice[]): NearestOffice[] =>
  offices.map((o) => ({ ...o, distanceM: Math.ceil(o.distanceM / DISTANCE_BAND_M) * DISTANCE_BAND_M }));
