import { MigrationInterface, QueryRunner } from 'typeorm';

const PAGE = 'provider_devices_page(uuid, text, text, int)';

/**
 * A provider's page is read through devices_supplier_idx (supplier, serial): exactly the page's rows, in
 * order, whatever the provider's share of the fleet. With the default random_page_cost (4, for spinning
 * disks) the planner preferred walking the primary key and filtering out other providers' devices (ten
 * rows read per row kept for a provider of 10 %). 1.1 is the usual cost for SSDs and cached data.
 */
export class ProviderPageIndex1764979200000 implements MigrationInterface {
  name = 'ProviderPageIndex1764979200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER FUNCTION ${PAGE} SET random_page_cost = 1.1`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER FUNCTION ${PAGE} RESET random_page_cost`);
  }
}
