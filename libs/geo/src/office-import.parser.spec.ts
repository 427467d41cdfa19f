import { DomainError } from '@poc/common';
import { parseOfficeCsv, parseOfficeFeatureCollection } from './office-import.parser';

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

describe('parseOfficeCsv', () => {
  const header = 'name,kind,lat,lon,address,modelsServiced\r\n';

  it('reads a header row and records, quoted fields included', () => {
    const offices = parseOfficeCsv(
      header +
        '"Goleta, CA branch",branch,34.43,-119.83,"5 ""A"" St",Inogen One G5; Inogen Rove 6\r\nRep,service_rep,35,-120,,\n',
    );
    expect(offices).toHaveLength(2);
    expect(offices[0]).toMatchObject({
      name: 'Goleta, CA branch',
      kind: 'branch',
      location: { lat: 34.43, lon: -119.83 },
      properties: { address: '5 "A" St', modelsServiced: ['Inogen One G5', 'Inogen Rove 6'] },
    });
    expect(offices[1].properties).toEqual({});
  });

  it('names the line of the first bad record', () => {
    const text = header + 'A,branch,34,-119,,\nB,branch,95,-119,,\nC,warehouse,34,-119,,\n';
    expect(() => parseOfficeCsv(text)).toThrow(/^line 3: location\.lat/);
    expect(() => parseOfficeCsv(header + 'A,branch,34\n')).toThrow(/^line 2: 3 fields/);
    expect(() => parseOfficeCsv(header + 'A,branch,north,-119,,\n')).toThrow(/^line 2: location\.lat/);
  });

  it('refuses a header without the required columns or with unknown ones', () => {
    expect(() => parseOfficeCsv('name,lat,lon\nA,1,2\n')).toThrow(/line 1: the header lacks kind/);
    expect(() => parseOfficeCsv('name,kind,lat,lon,colour\nA,branch,1,2,red\n')).toThrow(/unknown columns colour/);
  });
});
