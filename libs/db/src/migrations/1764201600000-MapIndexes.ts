import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Map queries take a longitude/latitude rectangle, whose edges are meridians and parallels: that is a
 * planar box in EPSG:4326, not a geography polygon (whose edges would be great circles). An index on the
 * location as geometry serves `&&` with such a box exactly.
 */
export class MapIndexes1764201600000 implements MigrationInterface {
  name = 'MapIndexes1764201600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX device_latest_state_location_geom_gist ON device_latest_state USING gist ((location::geometry))`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX device_latest_state_location_geom_gist`);
  }
}
