import { MigrationInterface, QueryRunner } from 'typeorm';

const PROVIDER_READS = ['provider_devices_page(uuid, text, text, int)', 'provider_device(uuid, text, text)'];

/**
 * The provider's reads keep one generic plan: their shape never changes with the arguments, and
 * planning a page afresh on every call cost more than running it.
 */
export class ProviderReadPlans1764806400000 implements MigrationInterface {
  name = 'ProviderReadPlans1764806400000';

  async up(db: QueryRunner): Promise<void> {
    for (const fn of PROVIDER_READS) await db.query(`ALTER FUNCTION ${fn} SET plan_cache_mode = force_generic_plan`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const fn of PROVIDER_READS) await db.query(`ALTER FUNCTION ${fn} RESET plan_cache_mode`);
  }
}
