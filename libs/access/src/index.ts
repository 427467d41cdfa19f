export { AccessModule } from './access.module';
export { DeviceLocationService } from './device-location.service';
export { PROVIDER_ASSET_FIELDS, PROVIDER_DEVICE_FIELDS, ProviderDeviceView } from './provider-device.view';
export {
  INTERNAL_DEVICE_VIEWS,
  InternalDeviceRecord,
  InternalRole,
  LocationPurpose,
  maySeeLocations,
  mayStateReasonForLocations,
  projectInternalDevice,
} from './internal-device.projection';
