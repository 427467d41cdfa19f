import { FormEvent, useState } from 'react';
import { ApiError, messageOf } from './api';

/**
 * A search by serial number: the form, and a status line saying what came of it in words (a 404 is
 * `notFound`, anything else the API's refusal). `find` shows what it found.
 */
export function SerialSearch({
  id,
  label,
  find,
  notFound,
}: {
  id: string;
  label: string;
  find: (serial: string) => Promise<void>;
  notFound: (serial: string) => string;
}) {
  const [serial, setSerial] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const wanted = serial.trim();
    if (!wanted) return;
    setMessage('Searching…');
    try {
      await find(wanted);
      setMessage(null);
    } catch (e) {
      setMessage(e instanceof ApiError && e.status === 404 ? notFound(wanted) : messageOf(e));
    }
  };
  return (
    <>
      <form className="search" onSubmit={submit} role="search">
        <label htmlFor={id}>{label}</label>
        <input id={id} value={serial} onChange={(e) => setSerial(e.target.value)} required maxLength={64} />
        <button type="submit">Find</button>
      </form>
      <p role="status" aria-live="polite">
        {message ?? ''}
      </p>
    </>
  );
}
