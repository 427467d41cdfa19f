import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { DomainError } from '@poc/common';
import { CreateServiceOfficeDto } from './service-office.dto';

const MAX_FEATURES = 100_000;

/** The first validation failure as `field.path: message`. */
function firstMessage(errors: ValidationError[], prefix = ''): string {
  const [error] = errors;
  const here = `${prefix}${error.property}`;
  const message = Object.values(error.constraints ?? {})[0];
  return message ? `${here}: ${message}` : firstMessage(error.children ?? [], `${here}.`);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A GeoJSON FeatureCollection of points whose properties hold name, kind and the optional fields.
 * The first bad feature fails the whole import, named by its index.
 */
export function parseOfficeFeatureCollection(body: unknown): CreateServiceOfficeDto[] {
  if (!isObject(body) || body.type !== 'FeatureCollection' || !Array.isArray(body.features)) {
    throw new DomainError('invalid', 'body must be a GeoJSON FeatureCollection with a features array', 'features');
  }
  if (body.features.length === 0 || body.features.length > MAX_FEATURES) {
    throw new DomainError('invalid', `features must hold 1 to ${MAX_FEATURES} features`, 'features');
  }
  return body.features.map((feature: unknown, index) => {
    const path = `features[${index}]`;
    const geometry = isObject(feature) ? feature.geometry : undefined;
    const coordinates = isObject(geometry) ? geometry.coordinates : undefined;
    if (!isObject(feature) || feature.type !== 'Feature' || !isObject(geometry) || geometry.type !== 'Point') {
      throw new DomainError('invalid', `${path}: must be a Feature with a Point geometry`, path);
    }
    if (!Array.isArray(coordinates) || coordinates.length < 2) {
      throw new DomainError('invalid', `${path}.geometry.coordinates: must be [lon, lat]`, path);
    }
    const { name, kind, ...properties } = isObject(feature.properties) ? feature.properties : {};
    return toOffice({ name, kind, lon: coordinates[0], lat: coordinates[1], properties }, path, `${path}.`);
  });
}

function toOffice(
  record: { name: unknown; kind: unknown; lat: unknown; lon: unknown; properties: Record<string, unknown> },
  path: string,
  prefix: string,
): CreateServiceOfficeDto {
  const office = plainToInstance(CreateServiceOfficeDto, {
    name: record.name,
    kind: record.kind,
    location: { lon: record.lon, lat: record.lat },
    properties: record.properties,
  });
  // Unknown properties are dropped: GIS exports carry many; only the documented ones are kept.
  const errors = validateSync(office, { whitelist: true });
  if (errors.length > 0) throw new DomainError('invalid', `${prefix}${firstMessage(errors)}`, path);
  return office;
}

/** Splits CSV text into rows of fields (RFC 4180: quoted fields may hold commas, quotes doubled, newlines). */
function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') field += text[i++];
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

const CSV_REQUIRED = ['name', 'kind', 'lat', 'lon'];
const CSV_OPTIONAL = ['address', 'phone', 'modelsServiced', 'openingHours'];

/**
 * CSV with a header row: name, kind, lat, lon, and optionally address, phone, modelsServiced (separated by
 * ';') and openingHours. The first bad record fails the whole import, named by its line number.
 */
export function parseOfficeCsv(text: string): CreateServiceOfficeDto[] {
  const [header, ...records] = csvRows(text).filter((row) => row.some((field) => field.trim() !== ''));
  const columns = (header ?? []).map((h) => h.trim());
  const missing = CSV_REQUIRED.filter((c) => !columns.includes(c));
  if (missing.length > 0) throw new DomainError('invalid', `line 1: the header lacks ${missing.join(', ')}`, 'line 1');
  const unknown = columns.filter((c) => !CSV_REQUIRED.includes(c) && !CSV_OPTIONAL.includes(c));
  if (unknown.length > 0) throw new DomainError('invalid', `line 1: unknown columns ${unknown.join(', ')}`, 'line 1');
  if (records.length === 0 || records.length > MAX_FEATURES) {
    throw new DomainError('invalid', `the file must hold 1 to ${MAX_FEATURES} offices`, 'line 2');
  }
  return records.map((fields, index) => {
    const path = `line ${index + 2}`;
    if (fields.length !== columns.length) {
      throw new DomainError('invalid', `${path}: ${fields.length} fields, the header has ${columns.length}`, path);
    }
    const value = Object.fromEntries(columns.map((c, i) => [c, fields[i].trim()]));
    const number = (v: string) => (v === '' ? undefined : Number(v));
    const properties = Object.fromEntries(
      CSV_OPTIONAL.filter((c) => value[c]).map((c) => [
        c,
        c === 'modelsServiced' ? value[c].split(';').map((m) => m.trim()) : value[c],
      ]),
    );
    return toOffice(
      { name: value.name, kind: value.kind, lat: number(value.lat), lon: number(value.lon), properties },
      path,
      `${path}: `,
    );
  });
}
