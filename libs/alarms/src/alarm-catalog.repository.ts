import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CatalogEntry, SHIPPED_CATALOG } from './error-code.catalog';

const ENTRY = `model, code, severity, provider_text AS "providerText", support_text AS "supportText", action`;

/** The error-code catalog in the database: the shipped entries, and an admin's edits. */
@Injectable()
export class AlarmCatalogRepository implements OnApplicationBootstrap {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Adds the shipped entries the database lacks; an entry an admin changed stays as changed. */
  async onApplicationBootstrap(): Promise<void> {
    const column = <K extends keyof CatalogEntry>(key: K) => SHIPPED_CATALOG.map((entry) => entry[key]);
    await this.db.query(
      `INSERT INTO alarm_codes (model, code, severity, provider_text, support_text, action)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
       ON CONFLICT DO NOTHING`,
      [
        column('model'),
        column('code'),
        column('severity'),
        column('providerText'),
        column('supportText'),
        column('action'),
      ],
    );
  }

  list(model?: string): Promise<CatalogEntry[]> {
    return this.db.query(`SELECT ${ENTRY} FROM alarm_codes WHERE $1::text IS NULL OR model = $1 ORDER BY model, code`, [
      model ?? null,
    ]);
  }

  async put(entry: CatalogEntry, by: string): Promise<CatalogEntry> {
    const [row] = await this.db.query(
      `INSERT INTO alarm_codes (model, code, severity, provider_text, support_text, action, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (model, code) DO UPDATE SET severity = $3, provider_text = $4, support_text = $5, action = $6,
         updated_by = $7, updated_at = now()
       RETURNING ${ENTRY}`,
      [entry.model, entry.code, entry.severity, entry.providerText, entry.supportText, entry.action, by],
    );
    return row;
  }

  async setOfflinePeriod(model: string, seconds: number): Promise<{ model: string; offlineAfterSeconds: number }> {
    await this.db.query(
      `INSERT INTO alarm_models (model, offline_after) VALUES ($1, make_interval(secs => $2))
       ON CONFLICT (model) DO UPDATE SET offline_after = EXCLUDED.offline_after, updated_at = now()`,
      [model, seconds],
    );
    return { model, offlineAfterSeconds: seconds };
  }
}
