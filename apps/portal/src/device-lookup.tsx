import { FormEvent, useState } from 'react';
import { Api, ApiError, messageOf } from './api';
import { DeviceHistory } from './device-history';

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
  const [serial, setSerial] = useState('');
  const [record, setRecord] = useState<Record<string, unknown> | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const find = async (event: FormEvent) => {
    event.preventDefault();
    setRecord(null);
    setMessage('Looking the device up…');
    try {
      setRecord(await api.call('GET', `/v1/internal/devices/${encodeURIComponent(serial.trim())}`));
      setMessage(null);
    } catch (e) {
      setMessage(
        e instanceof ApiError && e.status === 404 ? `No device with serial number ${serial.trim()}.` : messageOf(e),
      );
    }
  };
  return (
    <section aria-labelledby="lookup-heading">
      <h2 id="lookup-heading">Find a device</h2>
      <form className="search" onSubmit={find} role="search">
        <label htmlFor="device-serial">Serial number</label>
        <input id="device-serial" value={serial} onChange={(e) => setSerial(e.target.value)} required maxLength={64} />
        <button type="submit">Find</button>
      </form>
      <p role="status" aria-live="polite">
        {message ?? ''}
      </p>
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
