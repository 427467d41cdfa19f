import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { DomainError } from '@poc/common';
import { CreateServiceOfficeDto } from './service-office.dto';

const MAX_FEATURES = 100_000;

function firstMessage(errors: ValidationError[], path: string): string {
  const [error] = errors;
  const here = `${path}.${error.property}`;
  const message = Object.values(error.constraints ?? {})[0];
  return message ? `${here}: ${message}` : firstMessage(error.children ?? [], here);
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
    const office = plainToInstance(CreateServiceOfficeDto, {
      name,
      kind,
      location: { lon: coordinates[0], lat: coordinates[1] },
      properties,
    });
    // Unknown properties are dropped: GIS exports carry many; only the documented ones are kept.
    const errors = validateSync(office, { whitelist: true });
    if (errors.length > 0) throw new DomainError('invalid', firstMessage(errors, path), path);
    return office;
  });
}
