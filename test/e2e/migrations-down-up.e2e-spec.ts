import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../libs/db/src/data-source.options';
import { MIGRATIONS } from '../../libs/db/src/migrations';
import { withDatabase } from '../support/databases';

/**
 * Every migration's `down` returns the schema to exactly what it was before its `up`, or the migration
 * says it cannot be reverted (its `down` throws "... cannot be reverted ..."), and a down that would destroy
 * what people relied on refuses while there is any: the test migrates up one
 * migration at a time, noting the schema after each, then all the way down, checking each step against
 * those notes (past an irreversible migration it starts again from a database migrated to just below
 * it), and then all the way up again.
 */
describe('migrations, down and up again', () => {
  const databases: string[] = [];
  const onServer = async (statement: string) => {
    const server = new Client({ connectionString: process.env.DATABASE_URL });
    await server.connect();
    await server.query(statement).finally(() => server.end());
  };
  /** A database with PostGIS already in it, as the production image (and many a DBA) provides it. */
  async function emptyDatabase(): Promise<string> {
    const name = `poc_migrations_${randomBytes(6).toString('hex')}`;
    await onServer(`CREATE DATABASE ${name}`);
    databases.push(name);
    const url = withDatabase(process.env.DATABASE_URL as string, name);
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query('CREATE EXTENSION postgis').finally(() => client.end());
    return url;
  }
  /** The login itself (the database owner), as `migrateDatabase` runs migrations. */
  const owner = (url: string, count: number) =>
    new DataSource({ ...dataSourceOptions(url), migrations: MIGRATIONS.slice(0, count), extra: { max: 1 } });

  afterAll(async () => {
    for (const name of databases) await onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });

  it('reverts every reversible migration exactly, and marks the others irreversible', async () => {
    // Up, one at a time: schemas[k] is the schema with the first k migrations.
    const schemas: string[] = [];
    const url = await emptyDatabase();
    for (let count = 0; count <= MIGRATIONS.length; count++) {
      const source = await owner(url, count).initialize();
      await source.runMigrations({ transaction: 'each' });
      schemas.push(await schemaOf(source));
      await source.destroy();
    }

    const irreversible: string[] = [];
    let lowest = url; // the database being taken down
    let source = await owner(lowest, MIGRATIONS.length).initialize();
    for (let count = MIGRATIONS.length; count > 0; count--) {
      const name = MIGRATIONS[count - 1].name;
      const reverted = await source.undoLastMigration({ transaction: 'each' }).then(
        () => null,
        (error: Error) => error,
      );
      if (reverted) {
        expect({ name, error: reverted.message }).toEqual({ name, error: expect.stringMatching(/cannot be reverted/) });
        expect(await schemaOf(source)).toEqual(schemas[count]); // the failed down changed nothing
        irreversible.push(name);
        await source.destroy();
        // Go on below it, from a database migrated to just before it.
        lowest = await emptyDatabase();
        source = await owner(lowest, count - 1).initialize();
        await source.runMigrations({ transaction: 'each' });
      }
      expect({ after: `${name} down`, schema: await schemaOf(source) }).toEqual({
        after: `${name} down`,
        schema: schemas[count - 1],
      });
    }
    await source.destroy();

    source = await owner(lowest, MIGRATIONS.length).initialize();
    await source.runMigrations({ transaction: 'each' });
    expect(await schemaOf(source)).toEqual(schemas[MIGRATIONS.length]);
    await source.destroy();
    // Each says why in its down: a new column in views that read it, entries sealed under a new formula.
    expect(irreversible).toEqual([
      'AlarmsDisclosedOnlyWhileShared1766707200000',
      'SaleOptOutInPermissions1766188800000',
      'RestrictionInPermissions1765929600000',
      'AuditPurposeAndLossReportReasons1765411200000',
      'AuditEntryPerRead1764720000000',
    ]);
  });

  it('refuses a down that would destroy what people relied on, while there is any', async () => {
    const patient = `INSERT INTO users (username, password_hash, role, email, birth_date)
                     VALUES ('relied.on', 'x', 'patient', 'p@example.org', '1950-01-01') RETURNING id`;
    const relied: Record<string, string> = {
      AgentsAndDeactivation1766102400000: `UPDATE users SET deactivated_at = now() WHERE id = $1`,
      AuditMaintenanceDrop1766361600000: `INSERT INTO audit_chain_start (after_id, prev_hash) SELECT 41, $1::text`,
      ConsentWithoutAcceptance1766448000000: `
        INSERT INTO consent_events (patient_id, policy_version, location_collection, share_with_provider, marketing, sale_opt_out)
        VALUES ($1, NULL, false, false, false, true)`,
    };
    for (const [name, rows] of Object.entries(relied)) {
      const source = await owner(await emptyDatabase(), MIGRATIONS.findIndex((m) => m.name === name) + 1).initialize();
      await source.runMigrations({ transaction: 'each' });
      const [{ id }] = await source.query(patient);
      await source.query(rows, [id]);
      const before = await schemaOf(source);
      await expect(source.undoLastMigration({ transaction: 'each' })).rejects.toThrow(
        new RegExp(`${name} cannot be reverted while`),
      );
      expect(await schemaOf(source)).toEqual(before);
      await source.destroy();
    }
  });
});

/**
 * The schema as text: tables and columns, constraints, indexes, views, functions, triggers, policies,
 * grants and extensions of the public schema, leaving out what an extension owns and the migrations table.
 */
async function schemaOf(source: DataSource): Promise<string> {
  const own = (catalog: string, column = 'oid') =>
    `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${catalog}'::regclass AND d.objid = ${column} AND d.deptype = 'e')`;
  // Grants to others than the owner (an ACL emptied by REVOKE lists the owner's own, the default does not).
  const grants = (acl: string, ownerOf: string, kind: string) =>
    `(SELECT string_agg(a.grantee::regrole || '=' || a.privilege_type, ',' ORDER BY 1) FROM aclexplode(coalesce(${acl}, acldefault(${kind}::"char", ${ownerOf}))) a WHERE a.grantee <> ${ownerOf})`;
  const parts: Record<string, string> = {
    extensions: `SELECT extname FROM pg_extension`,
    schema: `SELECT ${grants('nspacl', 'nspowner', "'n'")} FROM pg_namespace WHERE nspname = 'public'`,
    defaultPrivileges: `SELECT concat_ws(' ', defaclrole::regrole, defaclobjtype::text, defaclacl) FROM pg_default_acl`,
    relations: `
      SELECT concat_ws(' ', c.relname, c.relkind::text, c.relowner::regrole, c.reloptions, ${grants('c.relacl', 'c.relowner', "CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END")}, c.relrowsecurity)
        FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relname NOT IN ('schema_migrations', 'schema_migrations_id_seq')
         AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indexrelid = c.oid AND i.indrelid::regclass::text = 'schema_migrations')
         AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'i', 'I') AND ${own('pg_class', 'c.oid')}`,
    columns: `
      SELECT concat_ws(' ', table_name, column_name, data_type, is_nullable, column_default)
        FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT IN ('schema_migrations', 'spatial_ref_sys', 'geography_columns', 'geometry_columns')`,
    constraints: `
      SELECT concat_ws(' ', conrelid::regclass, conname, pg_get_constraintdef(oid))
        FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> 'schema_migrations' AND ${own('pg_class', 'conrelid')}`,
    indexes: `SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename NOT IN ('schema_migrations', 'spatial_ref_sys')`,
    views: `SELECT concat_ws(' ', viewname, definition) FROM pg_views WHERE schemaname = 'public' AND viewname NOT IN ('geography_columns', 'geometry_columns')`,
    functions: `
      SELECT concat_ws(' ', pg_get_functiondef(p.oid), p.proowner::regrole, ${grants('p.proacl', 'p.proowner', "'f'")})
        FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace AND ${own('pg_proc', 'p.oid')}`,
    triggers: `SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal`,
    policies: `SELECT concat_ws(' ', tablename, policyname, roles, cmd, qual, with_check) FROM pg_policies`,
  };
  const lines: string[] = [];
  for (const [part, query] of Object.entries(parts)) {
    const rows: { line: string }[] = await source.query(`SELECT line FROM (${query}) AS x(line) ORDER BY line`);
    lines.push(`-- ${part}`, ...rows.map((r) => r.line));
  }
  return lines.join('\n');
}
