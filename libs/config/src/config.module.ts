import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig, loadConfig } from './app.config';

@Global()
@Module({})
export class ConfigModule {
  /** Validates the environment once; every module then injects `AppConfig` by type. */
  static forRoot(env: Record<string, string | undefined> = process.env): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: AppConfig, useValue: loadConfig(env) }],
      exports: [AppConfig],
    };
  }
}
