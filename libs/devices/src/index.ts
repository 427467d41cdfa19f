export { CreateDeviceDto, SERIAL_NUMBER } from './devices.dto';
export { DevicesModule } from './devices.module';
export { DevicesService, telemetryTopic } from './devices.service';
