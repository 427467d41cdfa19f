import { DomainError } from '@poc/common';
import { parseOfficeFeatureCollection } from './office-import.parser';

const feature = (lon: unknown, lat: unknown, properties: Record<string, unknown> = {}) => ({
  type: 'Feature',
  geometry: { type: 'Point', coordinates: [lon, lat] },
  properties: { name: 'Office', kind: 'branch', ...properties },
});

describe('parseOfficeFeatureCollection', () => {
  it('reads points as lon, lat and keeps the documented properties', () => {
    const [office] = parseOfficeFeatureCollection({
      type: 'FeatureCollection',
      features: [feature(-119.8, 34.4, { phone: '+1 805 555 0100', modelsServiced: ['G5'], color: 'red' })],
    });
    expect(office.location).toEqual({ lat: 34.4, lon: -119.8 });
    expect(office.properties).toEqual({ phone: '+1 805 555 0100', modelsServiced: ['G5'] });
  });

  it('names the index of the first bad feature', () => {
    const parse = () =>
      parseOfficeFeatureCollection({
        type: 'FeatureCollection',
        features: [feature(10, 10), feature(10, 10), feature(181, 10)],
      });
    expect(parse).toThrow(DomainError);
    expect(parse).toThrow(/features\[2\]\.location\.lon/);
  });

  it('refuses anything but a FeatureCollection of points', () => {
    expect(() => parseOfficeFeatureCollection({ type: 'Feature' })).toThrow(/FeatureCollection/);
    expect(() =>
      parseOfficeFeatureCollection({
        type: 'FeatureCollection',
        features: [{ type: 'Feature', geometry: { type: 'LineString', coordinates: [] }, properties: {} }],
      }),
    ).toThrow(/features\[0\]: must be a Feature with a Point geometry/);
  });
});
