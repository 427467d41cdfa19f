import { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1763769600000 implements MigrationInterface {
  name = 'Foundation1763769600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE EXTENSION IF NOT EXISTS postgis`);
    await db.query(`
      CREATE TABLE providers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text NOT NULL UNIQUE,
        password_hash text NOT NULL,
        role text NOT NULL CHECK (role IN ('patient','provider','support','field_service','privacy_officer','admin')),
        provider_id uuid REFERENCES providers(id),
        email text,
        birth_date date,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_active_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT users_provider_binding CHECK ((role = 'provider') = (provider_id IS NOT NULL))
      )`);
    await db.query(`
      CREATE TABLE auth_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        refresh_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz
      )`);
    await db.query(`CREATE INDEX auth_sessions_user_idx ON auth_sessions (user_id)`);
    await db.query(`
      CREATE TABLE devices (
        serial_number text PRIMARY KEY CHECK (serial_number ~ '^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$'),
        model text NOT NULL CHECK (length(model) BETWEEN 1 AND 100),
        supplied_by uuid REFERENCES providers(id),
        registration_code text NOT NULL UNIQUE,
        patient_id uuid REFERENCES users(id),
        secret_hash text,
        linked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX devices_supplier_idx ON devices (supplied_by, serial_number)`);
    await db.query(`CREATE INDEX devices_patient_idx ON devices (patient_id)`);
    // The consent ledger: rows are appended, never changed; the current state is the newest row.
    await db.query(`
      CREATE TABLE consent_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        patient_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        policy_version text NOT NULL,
        location_collection boolean NOT NULL,
        share_with_provider boolean NOT NULL,
        marketing boolean NOT NULL,
        sale_opt_out boolean NOT NULL
      )`);
    await db.query(`CREATE INDEX consent_events_patient_idx ON consent_events (patient_id, id)`);
    await db.query(`
      CREATE TABLE service_offices (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        kind text NOT NULL CHECK (kind IN ('branch','service_rep')),
        location geography(Point, 4326) NOT NULL,
        properties jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX service_offices_location_gist ON service_offices USING gist (location)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE service_offices, consent_events, devices, auth_sessions, users, providers`);
  }
}
