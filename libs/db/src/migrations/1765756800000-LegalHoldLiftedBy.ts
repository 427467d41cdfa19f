import { MigrationInterface, QueryRunner } from 'typeorm';

/** Who lifted a legal hold (who placed it was recorded already); both are audited with the reason. */
export class LegalHoldLiftedBy1765756800000 implements MigrationInterface {
  name = 'LegalHoldLiftedBy1765756800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE legal_holds ADD COLUMN lifted_by uuid`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE legal_holds DROP COLUMN lifted_by`);
  }
}
