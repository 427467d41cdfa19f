import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface LegalHold {
  id: string;
  patientId: string | null;
  serialNumber: string | null;
  reason: string;
  placedAt: Date;
}

const COLUMNS = `id::text, patient_id AS "patientId", serial_number AS "serialNumber", reason, placed_at AS "placedAt"`;

@Injectable()
export class LegalHoldsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async place(target: { patientId?: string; serialNumber?: string }, reason: string, by: string): Promise<LegalHold> {
    const [row] = await this.db.query(
      `INSERT INTO legal_holds (patient_id, serial_number, reason, placed_by) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
      [target.patientId ?? null, target.serialNumber ?? null, reason, by],
    );
    return row;
  }

  /** Lifts a hold in force; answers it, or null when there is none. */
  async lift(id: string, by: string): Promise<LegalHold | null> {
    const [row] = await this.db.query(
      `WITH lifted AS (UPDATE legal_holds SET lifted_at = now(), lifted_by = $2 WHERE id = $1 AND lifted_at IS NULL
                        RETURNING *)
       SELECT ${COLUMNS} FROM lifted`,
      [id, by],
    );
    return row ?? null;
  }

  active(): Promise<LegalHold[]> {
    return this.db.query(`SELECT ${COLUMNS} FROM legal_holds WHERE lifted_at IS NULL ORDER BY legal_holds.id DESC`);
  }
}
