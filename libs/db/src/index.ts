export { DatabaseNotices, NoticeSubscriber } from './database-notices';
export { DbModule } from './db.module';
export { migrateDatabase } from './data-source.options';
export { resolveDatabaseUrl } from './database-url';
export { isUniqueViolation } from './unique-violation';
export { poolOf, preparedQuery } from './prepared-query';
