/**
 * What of an error may reach a log: its kind, database code and message. Never the whole object: a
 * failed query's error carries the query's parameters, which can hold a patient's location.
 */
export function loggableError(error: unknown): { type: string; code?: string; message: string } {
  if (!(error instanceof Error)) return { type: typeof error, message: 'non-error thrown' };
  const code = (error as { code?: unknown }).code;
  return {
    type: error.constructor.name,
    ...(typeof code === 'string' ? { code } : {}),
    message: error.message.slice(0, 300),
  };
}
