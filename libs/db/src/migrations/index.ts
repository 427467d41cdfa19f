import { Foundation1763769600000 } from './1763769600000-Foundation';
import { Telemetry1763856000000 } from './1763856000000-Telemetry';
import { AccessAndAudit1763942400000 } from './1763942400000-AccessAndAudit';
import { ProviderViewPlan1764028800000 } from './1764028800000-ProviderViewPlan';
import { LossReports1764115200000 } from './1764115200000-LossReports';
import { MapIndexes1764201600000 } from './1764201600000-MapIndexes';
import { DeviceAlerts1764288000000 } from './1764288000000-DeviceAlerts';
import { PrivacyRights1764374400000 } from './1764374400000-PrivacyRights';
import { Retention1764460800000 } from './1764460800000-Retention';
import { SignInThrottle1764547200000 } from './1764547200000-SignInThrottle';
import { ProviderReadsAndChainHead1764633600000 } from './1764633600000-ProviderReadsAndChainHead';
import { AuditEntryPerRead1764720000000 } from './1764720000000-AuditEntryPerRead';
import { ProviderReadPlans1764806400000 } from './1764806400000-ProviderReadPlans';
import { SessionsEndedNotice1764892800000 } from './1764892800000-SessionsEndedNotice';
import { ProviderPageIndex1764979200000 } from './1764979200000-ProviderPageIndex';
import { AuditIndexPendingList1765065600000 } from './1765065600000-AuditIndexPendingList';
import { DedupPerDevice1765152000000 } from './1765152000000-DedupPerDevice';
import { AttemptsCountedFirst1765238400000 } from './1765238400000-AttemptsCountedFirst';
import { DeviceCredentialsNotice1765324800000 } from './1765324800000-DeviceCredentialsNotice';
import { AuditPurposeAndLossReportReasons1765411200000 } from './1765411200000-AuditPurposeAndLossReportReasons';
import { LocationOnlyWhileAllowed1765497600000 } from './1765497600000-LocationOnlyWhileAllowed';
import { DeviceClaims1765584000000 } from './1765584000000-DeviceClaims';
import { LossReportsEndWithTheirPatient1765670400000 } from './1765670400000-LossReportsEndWithTheirPatient';
import { LegalHoldLiftedBy1765756800000 } from './1765756800000-LegalHoldLiftedBy';
import { RequestEffectsAndProviderNotices1765843200000 } from './1765843200000-RequestEffectsAndProviderNotices';
import { RestrictionInPermissions1765929600000 } from './1765929600000-RestrictionInPermissions';
import { TelemetryByPatient1766016000000 } from './1766016000000-TelemetryByPatient';
import { AgentsAndDeactivation1766102400000 } from './1766102400000-AgentsAndDeactivation';
import { SaleOptOutInPermissions1766188800000 } from './1766188800000-SaleOptOutInPermissions';
import { SecurityIncidents1766275200000 } from './1766275200000-SecurityIncidents';
import { AuditMaintenanceDrop1766361600000 } from './1766361600000-AuditMaintenanceDrop';
import { ConsentWithoutAcceptance1766448000000 } from './1766448000000-ConsentWithoutAcceptance';
import { BrokerSessions1766534400000 } from './1766534400000-BrokerSessions';
import { Alarms1766620800000 } from './1766620800000-Alarms';
import { AlarmsDisclosedOnlyWhileShared1766707200000 } from './1766707200000-AlarmsDisclosedOnlyWhileShared';

/** Every migration, oldest first; the service runs the pending ones at start-up. */
export const MIGRATIONS = [
  Foundation1763769600000,
  Telemetry1763856000000,
  AccessAndAudit1763942400000,
  ProviderViewPlan1764028800000,
  LossReports1764115200000,
  MapIndexes1764201600000,
  DeviceAlerts1764288000000,
  PrivacyRights1764374400000,
  Retention1764460800000,
  SignInThrottle1764547200000,
  ProviderReadsAndChainHead1764633600000,
  AuditEntryPerRead1764720000000,
  ProviderReadPlans1764806400000,
  SessionsEndedNotice1764892800000,
  ProviderPageIndex1764979200000,
  AuditIndexPendingList1765065600000,
  DedupPerDevice1765152000000,
  AttemptsCountedFirst1765238400000,
  DeviceCredentialsNotice1765324800000,
  AuditPurposeAndLossReportReasons1765411200000,
  LocationOnlyWhileAllowed1765497600000,
  DeviceClaims1765584000000,
  LossReportsEndWithTheirPatient1765670400000,
  LegalHoldLiftedBy1765756800000,
  RequestEffectsAndProviderNotices1765843200000,
  RestrictionInPermissions1765929600000,
  TelemetryByPatient1766016000000,
  AgentsAndDeactivation1766102400000,
  SaleOptOutInPermissions1766188800000,
  SecurityIncidents1766275200000,
  AuditMaintenanceDrop1766361600000,
  ConsentWithoutAcceptance1766448000000,
  BrokerSessions1766534400000,
  Alarms1766620800000,
  AlarmsDisclosedOnlyWhileShared1766707200000,
];
