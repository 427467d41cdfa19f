import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@poc/config';
import { resolveDatabaseUrl } from './database-url';
import { dataSourceOptions } from './data-source.options';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(resolveDatabaseUrl(config)),
        autoLoadEntities: true,
        migrationsRun: true,
        migrationsTransactionMode: 'each',
        retryAttempts: 3,
      }),
    }),
  ],
})
export class DbModule {}
