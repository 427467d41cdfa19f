import { useState } from 'react';
import type { Api } from './api';
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
 * fields); for support, its telemetry history and rejected messages too.
 */
export function DeviceLookup({ api, withHistory = false }: { api: Api; withHistory?: boolean }) {
  const [record, setRecord] = useState<Record<string, unknown> | null>(null);
  const find = async (serial: string) => {
    setRecord(null);
    setRecord(await api.call('GET', `/v1/internal/devices/${encodeURIComponent(serial)}`));
  };
  return (
    <section aria-labelledby="lookup-heading">
      <h2 id="lookup-heading">Find a device</h2>
      <SerialSearch
        id="device-serial"
        label="Serial number"
        find={find}
        notFound={(serial) => `No device with serial number ${serial}.`}
      />
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
      {record && withHistory && <DeviceHistory api={api} serialNumber={String(record.serialNumber)} />}
    </section>
  );
}
