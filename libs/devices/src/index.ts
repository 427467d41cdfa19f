export { CreateDeviceDto, SERIAL_NUMBER } from './devices.dto';
export { DevicesModule } from './devices.module';
export { DeviceCredentialEvents } from './device-credential.events';
export { DevicesService, telemetryTopic } from './devices.service';
export type { LossReport } from './loss-reports.repository';
export { LossReportsService } from './loss-reports.service';
