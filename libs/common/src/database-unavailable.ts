// SQLSTATEs and driver errors that mean "the database cannot take this now" rather than "this request
// is wrong": connection failures (08), too many connections (53300), shutting down or starting (57P0x).
const UNAVAILABLE_STATES = /^(08|53300|57P0[1-3])/;
const UNAVAILABLE_MESSAGES = /timeout exceeded when trying to connect|Connection terminated|ECONNREFUSED|ECONNRESET/;

/** Whether an error is the database being unreachable or saturated: the client should retry later (503). */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return (
    (typeof code === 'string' && (UNAVAILABLE_STATES.test(code) || UNAVAILABLE_MESSAGES.test(code))) ||
    (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message))
  );
}
