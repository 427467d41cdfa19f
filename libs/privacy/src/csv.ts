/** RFC 4180 CSV: a field is quoted when it holds a comma, a quote or a line break; quotes are doubled. */
const field = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  const text =
    value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export const csvLine = (values: unknown[]): string => `${values.map(field).join(',')}\r\n`;

/** The rows as CSV lines under `columns` (the header is written once, by the caller). */
export const csvRows = (columns: string[], rows: object[]): string =>
  rows.map((row) => csvLine(columns.map((c) => (row as Record<string, unknown>)[c]))).join('');
