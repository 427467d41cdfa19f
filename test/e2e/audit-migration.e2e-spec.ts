import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, migrateDatabase } from '../../libs/db/src/data-source.options';
import { MIGRATIONS } from '../../libs/db/src/migrations';
import { AuditEntryPerRead1764720000000 } from '../../libs/db/src/migrations/1764720000000-AuditEntryPerRead';
import { withDatabase } from '../support/databases';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

interface OneDeviceEntry {
  at: Date;
  actorId: string;
  serialNumber: string | null;
  subject: string | null;
  fields: string[];
}

/**
 * Audit entries written before AuditEntryPerRead (one row per device, sealed as the previous hash, a
 * newline and a JSON array of the content) are checked, converted and sealed again, or, when their
 * chain is broken, refused and left as they were.
 */
describe('the AuditEntryPerRead migration', () => {
  let url: string;
  let sql: Client;
  const name = `poc_migration_${randomBytes(6).toString('hex')}`;

  beforeEach(async () => {
    const server = new Client({ connectionString: process.env.DATABASE_URL });
    await server.connect();
    await server.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await server.query(`CREATE DATABASE ${name}`);
    await server.end();
    url = withDatabase(process.env.DATABASE_URL as string, name);
    // The schema as it was just before the migration.
    const before = new DataSource({
      ...dataSourceOptions(url),
      migrations: MIGRATIONS.slice(0, MIGRATIONS.indexOf(AuditEntryPerRead1764720000000)),
      extra: { max: 1 },
    });
    await before.initialize();
    await before.runMigrations({ transaction: 'each' });
    await before.destroy();
    sql = new Client({ connectionString: url });
    await sql.connect();
  });

  afterEach(async () => {
    await sql.end();
    const server = new Client({ connectionString: process.env.DATABASE_URL });
    await server.connect();
    await server.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await server.end();
  });

  async function writeOldChain(entries: OneDeviceEntry[]): Promise<string[]> {
    let head = '0'.repeat(64);
    const hashes: string[] = [];
    for (const e of entries) {
      const content = [
        e.at.toISOString(),
        e.actorId,
        'support',
        'internal.device.read',
        e.serialNumber,
        e.subject,
        e.fields,
      ];
      const hash = sha256(`${head}\n${JSON.stringify(content)}`);
      await sql.query(
        `INSERT INTO audit_log (at, actor_id, actor_role, action, serial_number, subject, fields, prev_hash, hash)
         VALUES ($1, $2, 'support', 'internal.device.read', $3, $4, $5, $6, $7)`,
        [e.at, e.actorId, e.serialNumber, e.subject, e.fields, head, hash],
      );
      hashes.push(hash);
      head = hash;
    }
    await sql.query('UPDATE audit_chain_head SET hash = $1', [head]);
    return hashes;
  }

  const entries: OneDeviceEntry[] = [
    {
      at: new Date('2026-01-02T03:04:05.678Z'),
      actorId: randomUUID(),
      serialNumber: 'P1',
      subject: randomUUID(),
      fields: ['serialNumber', 'model'],
    },
    {
      at: new Date('2026-01-02T03:04:06.001Z'),
      actorId: randomUUID(),
      serialNumber: null,
      subject: randomUUID(),
      fields: [],
    },
    {
      at: new Date('2026-01-03T00:00:00.000Z'),
      actorId: randomUUID(),
      serialNumber: 'P"2\\',
      subject: null,
      fields: ['errorCode'],
    },
  ];

  it('converts each one-device entry into an entry listing that device, and seals the chain again', async () => {
    await writeOldChain(entries);
    await migrateDatabase(url);

    const rows = (
      await sql.query(
        'SELECT at, actor_id, actor_role, action, disclosures, disclosures::text AS text, prev_hash, hash FROM audit_log ORDER BY id',
      )
    ).rows;
    expect(rows.map((r) => r.disclosures)).toEqual(
      entries.map((e) => [{ serialNumber: e.serialNumber, subject: e.subject, fields: e.fields }]),
    );
    let head = '0'.repeat(64);
    for (const row of rows) {
      expect(row.prev_hash).toBe(head);
      head = sha256([head, row.at.toISOString(), row.actor_id, row.actor_role, row.action, row.text].join('\n'));
      expect(row.hash).toBe(head);
    }
    expect((await sql.query('SELECT hash FROM audit_chain_head')).rows[0].hash).toBe(head);
  });

  it('refuses a chain that was broken before, and leaves it as it was', async () => {
    await writeOldChain(entries);
    await sql.query(`UPDATE audit_log SET fields = '{serialNumber,model,lastLocation}' WHERE serial_number = 'P1'`);
    const before = (await sql.query('SELECT * FROM audit_log ORDER BY id')).rows;

    await expect(migrateDatabase(url)).rejects.toThrow(/the audit chain is broken at entry \d+: not converted/);
    expect((await sql.query('SELECT * FROM audit_log ORDER BY id')).rows).toEqual(before);
  });
});
