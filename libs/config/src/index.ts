export { AppConfig, InvalidConfigError, loadConfig, tlsCredentials } from './app.config';
export { ConfigModule } from './config.module';
