export { AlarmsModule } from './alarms.module';
export { CatalogEntry, SHIPPED_CATALOG, SEVERITIES, Severity } from './error-code.catalog';
