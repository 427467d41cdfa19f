import { FormEvent, useState } from 'react';
import type { ApiSchemas } from '@poc/api-client';
import { answer, messageOf, type Api } from './api';
import { DeviceHistory } from './device-history';
import { SerialSearch } from './serial-search';

// serialNumber → "Serial number"
const words = (key: string) =>
  key
    .replace(/([A-Z])/g, ' $1')
    .replace(/^./, (c) => c.toUpperCase())
    .replace(/ (\w)/g, (m) => m.toLowerCase());

/**
 * Internal staff: a device's record by serial, as the caller's role projects it (the API decides the
 * fields); for support, its telemetry history and rejected messages too. A location is shown only for the
 * policy's purposes: where the role may state a reason (support, admin), a form asks for it, and the API
 * audits the read with it.
 */
export function DeviceLookup({
  api,
  withHistory = false,
  mayStateReason = false,
}: {
  api: Api;
  withHistory?: boolean;
  mayStateReason?: boolean;
}) {
  const [record, setRecord] = useState<ApiSchemas['InternalDeviceRecordResponse'] | null>(null);
  const [reason, setReason] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const load = async (serial: string, stated?: string) => {
    const params = { path: { serialNumber: serial }, query: { reason: stated || undefined } };
    setRecord(answer(await api.client.GET('/v1/internal/devices/{serialNumber}', { params })));
  };
  const find = async (serial: string) => {
    setRecord(null);
    await load(serial);
  };
  const showLocation = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await load(String(record?.serialNumber), reason.trim());
      setStatus('Shown for the reason given; the read is in the audit log with it.');
    } catch (e) {
      setStatus(messageOf(e));
    }
  };
  const locationWithheld = record !== null && !('lastLocation' in record) && record.processingRestricted !== true;
  return (
    <section aria-labelledby="lookup-heading">
      <h2 id="lookup-heading">Find a device</h2>
      <SerialSearch
        id="device-serial"
        label="Serial number"
        find={find}
        notFound={(serial) => `No device with serial number ${serial}.`}
      />
      {record?.processingRestricted === true && (
        <p className="note">The patient has restricted processing: their data is stored, and only stored.</p>
      )}
      {record && (
        <dl className="record">
          {Object.entries(record).map(([key, value]) => (
            <div key={key}>
              <dt>{words(key)}</dt>
              <dd>{value === null ? '—' : typeof value === 'object' ? JSON.stringify(value) : String(value)}</dd>
            </div>
          ))}
        </dl>
      )}
      {locationWithheld && mayStateReason && (
        <form className="search" onSubmit={showLocation}>
          <label htmlFor="location-reason">
            The location is shown while the device is reported lost or stolen, or for a reason you state
          </label>
          <input
            id="location-reason"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            required
            minLength={3}
            maxLength={500}
          />
          <button type="submit">Show the location</button>
        </form>
      )}
      {status && <p role="status">{status}</p>}
      {record && withHistory && <DeviceHistory api={api} serialNumber={record.serialNumber} />}
    </section>
  );
}
