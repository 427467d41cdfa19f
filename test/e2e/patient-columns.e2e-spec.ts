import { Client } from 'pg';
import { ERASED_PATIENT_COLUMNS, NOT_PATIENT_COLUMNS } from '../../libs/privacy/src/patient-columns';
import { createTestDatabase } from '../support/databases';

/**
 * Every uuid column of the schema is accounted for: erased with the account by its foreign key, erased by
 * the erasure itself (ERASED_PATIENT_COLUMNS), or never a patient's. A new column that could hold a
 * patient's id fails here until the erasure covers it. (The privacy tests then check, row by row, that an
 * erased patient leaves no trace anywhere.)
 */
describe('columns holding a patient id', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let sql: Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    sql = new Client({ connectionString: database.url });
    await sql.connect();
  });
  afterAll(async () => {
    await sql.end();
    await database.drop();
  });

  it('each is erased by its foreign key, by the erasure, or holds no patient', async () => {
    const columns = (
      await sql.query<{ column: string }>(
        `SELECT c.table_name || '.' || c.column_name AS column
           FROM information_schema.columns c JOIN pg_class r ON r.relname = c.table_name
          WHERE c.table_schema = 'public' AND c.udt_name = 'uuid' AND r.relkind IN ('r', 'p') AND NOT r.relispartition
          ORDER BY 1`,
      )
    ).rows.map((r) => r.column);
    const byForeignKey = (
      await sql.query<{ column: string }>(
        `SELECT kcu.table_name || '.' || kcu.column_name AS column
           FROM information_schema.referential_constraints rc
           JOIN information_schema.key_column_usage kcu USING (constraint_schema, constraint_name)
           JOIN information_schema.constraint_column_usage ccu
             ON ccu.constraint_schema = rc.unique_constraint_schema AND ccu.constraint_name = rc.unique_constraint_name
          WHERE ccu.table_name = 'users' AND ccu.column_name = 'id' AND rc.delete_rule IN ('CASCADE', 'SET NULL')`,
      )
    ).rows.map((r) => r.column);
    const accounted = new Set([...byForeignKey, ...Object.keys(ERASED_PATIENT_COLUMNS), ...NOT_PATIENT_COLUMNS]);
    expect(columns.filter((c) => !accounted.has(c))).toEqual([]);
    // And no entry names a column that is gone.
    const known = new Set(columns);
    expect([...Object.keys(ERASED_PATIENT_COLUMNS), ...NOT_PATIENT_COLUMNS].filter((c) => !known.has(c))).toEqual([]);
  });
});
