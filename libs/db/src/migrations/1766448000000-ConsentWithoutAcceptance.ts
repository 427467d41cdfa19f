import { MigrationInterface, QueryRunner } from 'typeorm';
import { refuseDownWhile } from './refuse-down';

/**
 * A withdrawal or a sale opt-out asked of the privacy office is recorded under the policy version the patient
 * accepted, which may be none (null): recording it under the current version would accept that policy for them.
 */
export class ConsentWithoutAcceptance1766448000000 implements MigrationInterface {
  name = 'ConsentWithoutAcceptance1766448000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE consent_events ALTER COLUMN policy_version DROP NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    const choices = 'the consent ledger holds choices made without accepting a policy (withdrawals, opt-outs)';
    await refuseDownWhile(db, this.name, `SELECT 1 FROM consent_events WHERE policy_version IS NULL`, choices);
    await db.query(`ALTER TABLE consent_events ALTER COLUMN policy_version SET NOT NULL`);
  }
}
