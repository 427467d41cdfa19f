export { CreateDeviceDto, DeviceAlertResponse, LossReportResponse } from './devices.dto';
export { DevicesModule } from './devices.module';
export { DEVICE_CREDENTIALS_CHANNEL, DeviceCredentialStore, DeviceCredentialStores } from './device-credentials';
export {
  deviceSubtree,
  rejectedTopic,
  SHARED_TELEMETRY_SUBSCRIPTION,
  telemetrySerialOf,
  telemetryTopic,
} from './device-topics';
export { DevicesService } from './devices.service';
export type { DeviceAlert } from './device-alerts.repository';
export type { LossReport } from './loss-reports.repository';
export { LossReportsService } from './loss-reports.service';
