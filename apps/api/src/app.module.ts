import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { AccessModule } from '@poc/access';
import { AlarmsModule } from '@poc/alarms';
import { AuditModule } from '@poc/audit';
import { AuthModule } from '@poc/auth';
import { DomainErrorFilter } from '@poc/common';
import { AppConfig, ConfigModule } from '@poc/config';
import { ConsentModule } from '@poc/consent';
import { DbModule } from '@poc/db';
import { DevicesModule } from '@poc/devices';
import { GeoModule } from '@poc/geo';
import { loggerParams, OpsModule } from '@poc/ops';
import { PrivacyModule } from '@poc/privacy';
import { TelemetryModule } from '@poc/telemetry';
import { DemoDataSeeder } from './demo-data.seeder';

@Module({})
export class AppModule {
  static forRoot(env: Record<string, string | undefined>): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(env),
        LoggerModule.forRootAsync({ inject: [AppConfig], useFactory: (c: AppConfig) => loggerParams(c.LOG_LEVEL) }),
        DbModule,
        OpsModule,
        AuthModule,
        DevicesModule,
        ConsentModule,
        GeoModule,
        TelemetryModule,
        AuditModule,
        AccessModule,
        PrivacyModule,
        AlarmsModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: DomainErrorFilter }, DemoDataSeeder],
    };
  }
}
