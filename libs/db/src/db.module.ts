import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@poc/config';
import { resolveDatabaseUrl } from './database-url';
import { dataSourceOptions, migrateDatabase } from './data-source.options';
import { DatabaseNotices } from './database-notices';

/** The database for every lib: the data source, migrated at start-up, and its announcements. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: async (config: AppConfig) => {
        const url = resolveDatabaseUrl(config);
        await migrateDatabase(url);
        return { ...dataSourceOptions(url, config.POLICY_VERSION), autoLoadEntities: true, retryAttempts: 3 };
      },
    }),
  ],
  providers: [DatabaseNotices],
  exports: [DatabaseNotices],
})
export class DbModule {}
