import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { CreateServiceOfficeDto, ServiceOfficeResponse } from './service-office.dto';

const COLUMNS = `id, name, kind, ST_Y(location::geometry) AS lat, ST_X(location::geometry) AS lon, properties`;

interface OfficeRow {
  id: string;
  name: string;
  kind: ServiceOfficeResponse['kind'];
  lat: number;
  lon: number;
  properties: ServiceOfficeResponse['properties'];
}

const toOffice = (row: OfficeRow): ServiceOfficeResponse => ({
  id: row.id,
  name: row.name,
  kind: row.kind,
  location: { lat: row.lat, lon: row.lon },
  properties: row.properties,
});

@Injectable()
export class ServiceOfficesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Inserts all offices in one statement: either every one is stored or none. */
  async insertAll(offices: CreateServiceOfficeDto[]): Promise<ServiceOfficeResponse[]> {
    const rows: OfficeRow[] = await this.db.query(
      `INSERT INTO service_offices (name, kind, location, properties)
       SELECT o.name, o.kind, ST_SetSRID(ST_MakePoint(o.lon, o.lat), 4326)::geography, o.properties
         FROM jsonb_to_recordset($1::jsonb) AS o(name text, kind text, lat float8, lon float8, properties jsonb)
       RETURNING ${COLUMNS}`,
      [
        JSON.stringify(
          offices.map((o) => ({ name: o.name, kind: o.kind, ...o.location, properties: o.properties ?? {} })),
        ),
      ],
    );
    return rows.map(toOffice);
  }

  /** Changes the given fields of an office; null when there is no such office. */
  async update(id: string, change: Partial<CreateServiceOfficeDto>): Promise<ServiceOfficeResponse | null> {
    const rows: OfficeRow[] = await this.db.query(
      // Wrapped in a SELECT: TypeORM returns [rows, count] for a bare UPDATE, rows for a query.
      `WITH changed AS (UPDATE service_offices SET
         name = coalesce($2, name),
         kind = coalesce($3, kind),
         location = CASE WHEN $4::float8 IS NULL THEN location
                         ELSE ST_SetSRID(ST_MakePoint($5::float8, $4::float8), 4326)::geography END,
         properties = coalesce($6::jsonb, properties)
       WHERE id = $1
       RETURNING *)
       SELECT ${COLUMNS} FROM changed`,
      [
        id,
        change.name ?? null,
        change.kind ?? null,
        change.location?.lat ?? null,
        change.location?.lon ?? null,
        change.properties ? JSON.stringify(change.properties) : null,
      ],
    );
    return rows[0] ? toOffice(rows[0]) : null;
  }

  async list(limit: number): Promise<ServiceOfficeResponse[]> {
    const rows: OfficeRow[] = await this.db.query(`SELECT ${COLUMNS} FROM service_offices ORDER BY name, id LIMIT $1`, [
      limit,
    ]);
    return rows.map(toOffice);
  }

  async count(): Promise<number> {
    const [{ n }] = await this.db.query(`SELECT count(*)::int AS n FROM service_offices`);
    return n;
  }
}
