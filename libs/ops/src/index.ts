export { loggerParams } from './logging';
export { OpsModule } from './ops.module';
