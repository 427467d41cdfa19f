import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { poolOf } from '@poc/db';
import { dataSourceOptions } from '../../libs/db/src/data-source.options';
import { createTestDatabase } from '../support/databases';

/** The service's pool when the server ends its connections (a restart, an administrator, a failover). */
describe('pooled database connections', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: DataSource;
  let admin: Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await new DataSource(dataSourceOptions(database.url)).initialize();
    admin = new Client({ connectionString: database.url });
    await admin.connect();
  });

  afterAll(async () => {
    await admin.end();
    await db.destroy();
    await database.drop();
  });

  it('a connection ended by the server while held between queries fails its next query, and the process lives on', async () => {
    // Held, with no query running and no listener of its holder yet: the window a handover leaves open.
    const held = await poolOf(db).connect();
    const pid = (held as unknown as { processID: number }).processID;
    const ended = new Promise((resolve) => held.once('end', resolve));
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await ended; // an unhandled 'error' event would have failed this file by now
    await expect(held.query('SELECT 1')).rejects.toThrow();
    held.release(true);
    // The pool carries on with a new connection.
    expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });
});
