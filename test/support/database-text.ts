import type { TestApp } from './test-app';

/** Every row of every table as text, geometries as WKT: where a withheld value must not appear. */
export async function wholeDatabaseText(app: TestApp): Promise<string> {
  const columns = await app.sql<{ table_name: string; column_name: string; udt_name: string }>(
    `SELECT c.table_name, c.column_name, c.udt_name FROM information_schema.columns c
       JOIN information_schema.tables t USING (table_schema, table_name)
      WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.table_name <> 'spatial_ref_sys'`,
  );
  const texts: string[] = [];
  for (const table of new Set(columns.map((c) => c.table_name))) {
    const rows = await app.sql<{ t: string }>(`SELECT to_jsonb(x)::text AS t FROM "${table}" x`);
    texts.push(...rows.map((r) => r.t));
    for (const { column_name } of columns.filter((c) => c.table_name === table && /^geo/.test(c.udt_name))) {
      const points = await app.sql<{ t: string }>(`SELECT ST_AsText("${column_name}"::geometry) AS t FROM "${table}"`);
      texts.push(...points.map((p) => p.t));
    }
  }
  return texts.join('\n');
}
