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
// true nearest offices.
const NEAREST = `
  WITH here AS (SELECT ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography AS g),
  candidates AS (
    SELECT o.id, o.name, o.kind, o.location
      FROM service_offices o, here
     WHERE ($4::text IS NULL OR o.kind = $4) AND ($5::text IS NULL OR o.properties->'modelsServiced' ? $5)
     ORDER BY o.location <-> here.g
     LIMIT $3 * 2 + 16)
  SELECT c.id, c.name, c.kind, ST_Y(c.location::geometry) AS lat, ST_X(c.location::geometry) AS lon,
         ST_Distance(c.location, here.g) AS "distanceM"
    FROM candidates c, here
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
      await this.db.query(NEAREST, [point.lat, point.lon, limit, filter.kind ?? null, filter.model ?? null]);
    return rows.map(({ id, name, kind, lat, lon, distanceM }) => ({
      id,
      name,
      kind,
      location: { lat, lon },
      distanceM,
    }));
  }
}
