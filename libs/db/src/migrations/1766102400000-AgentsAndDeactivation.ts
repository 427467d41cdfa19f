import { MigrationInterface, QueryRunner } from 'typeorm';
import { refuseDownWhile } from './refuse-down';

/**
 * A request an officer records for someone (an authorised agent, a child's account) keeps who recorded it:
 * erasing on someone's behalf then needs a second officer (four eyes). A patient may deactivate their
 * account: it signs in no more and collects nothing, and its data stays until erased or expired.
 */
export class AgentsAndDeactivation1766102400000 implements MigrationInterface {
  name = 'AgentsAndDeactivation1766102400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE privacy_requests ADD COLUMN recorded_by uuid`);
    await db.query(`ALTER TABLE users ADD COLUMN deactivated_at timestamptz`);
  }

  async down(db: QueryRunner): Promise<void> {
    const relied = `SELECT 1 FROM users WHERE deactivated_at IS NOT NULL
                    UNION ALL SELECT 1 FROM privacy_requests WHERE recorded_by IS NOT NULL`;
    await refuseDownWhile(db, this.name, relied, 'accounts are deactivated or requests were recorded for agents');
    await db.query(`ALTER TABLE users DROP COLUMN deactivated_at`);
    await db.query(`ALTER TABLE privacy_requests DROP COLUMN recorded_by`);
  }
}
