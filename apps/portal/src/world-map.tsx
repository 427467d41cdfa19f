import { geoEqualEarth, geoMercator, geoPath } from 'd3-geo';
import { MouseEvent, useContext, useMemo, useState } from 'react';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import countries110m from 'world-atlas/countries-110m.json';
import { MapSettingsContext } from './map-settings';

// The basemap ships with the app (Natural Earth outlines from the world-atlas package): maps work with
// no internet. A deployment may name a raster tile server instead (PORTAL_TILE_URL): then the map is Web
// Mercator, the world in 4 x 4 tiles of zoom 2.
const WIDTH = 960;
const HEIGHT = 500;
const topology = countries110m as unknown as Topology<{ countries: GeometryCollection }>;
const land = feature(topology, topology.objects.countries);
const TILES_PER_SIDE = 4; // zoom 2
const TILE = WIDTH / TILES_PER_SIDE;

function tilesOf(tileUrl: string) {
  return Array.from({ length: TILES_PER_SIDE ** 2 }, (_, i) => {
    const [x, y] = [i % TILES_PER_SIDE, Math.floor(i / TILES_PER_SIDE)];
    const href = tileUrl.replace('{z}', '2').replace('{x}', String(x)).replace('{y}', String(y));
    // The Mercator square is WIDTH tall; the view shows its middle band.
    return { key: `${x}-${y}`, href, x: x * TILE, y: y * TILE - (WIDTH - HEIGHT) / 2 };
  });
}

/** A box around the points, at least 12 degrees wide and 8 high, so that one point does not zoom to a street. */
function areaAround(points: LatLon[]): GeoJSON.Polygon {
  const lats = points.map((p) => p.lat);
  const lons = points.map((p) => p.lon);
  const [midLat, midLon] = [(Math.min(...lats) + Math.max(...lats)) / 2, (Math.min(...lons) + Math.max(...lons)) / 2];
  const halfLat = Math.max(4, (Math.max(...lats) - Math.min(...lats)) / 2 + 1);
  const halfLon = Math.max(6, (Math.max(...lons) - Math.min(...lons)) / 2 + 1);
  const [south, north] = [Math.max(-89, midLat - halfLat), Math.min(89, midLat + halfLat)];
  const [west, east] = [Math.max(-179.9, midLon - halfLon), Math.min(179.9, midLon + halfLon)];
  // Clockwise (seen from above), as d3-geo reads an exterior ring; the other way is the sphere minus the box.
  return {
    type: 'Polygon',
    coordinates: [
      [
        [west, south],
        [west, north],
        [east, north],
        [east, south],
        [west, south],
      ],
    ],
  };
}

export interface MapPoint {
  id: string;
  lat: number;
  lon: number;
  label: string;
}

export interface LatLon {
  lat: number;
  lon: number;
}

/**
 * Points on a world map; each point is a link (keyboard reachable) when `onSelect` is given. `trail` draws
 * a path through earlier locations; `onPick` reports where the map was clicked (pointer users; forms
 * beside the map give keyboard users the same).
 */
export function WorldMap({
  points,
  title,
  onSelect,
  trail = [],
  onPick,
}: {
  points: MapPoint[];
  title: string;
  onSelect?: (id: string) => void;
  trail?: LatLon[];
  onPick?: (point: LatLon) => void;
}) {
  const { tileUrl } = useContext(MapSettingsContext);
  // Zoomed to the points by default (the outlines map only; tiles stay at world scale).
  const [whole, setWhole] = useState(false);
  const zoomable = !tileUrl && points.length > 0;
  // Keyed on the coordinates, not the array: a parent's re-render (a keystroke in a form beside the map)
  // must not re-project every country.
  const where = zoomable && !whole ? points.map((p) => `${p.lat},${p.lon}`).join(';') : '';
  // `where` stands for the points' content.
  const area = useMemo(() => (where ? areaAround(points) : land), [where]);
  const { path, project, invert } = useMemo(() => {
    const projection = tileUrl
      ? geoMercator()
          .scale(WIDTH / (2 * Math.PI))
          .translate([WIDTH / 2, HEIGHT / 2])
      : geoEqualEarth().fitExtent(
          [
            [16, 16],
            [WIDTH - 16, HEIGHT - 16],
          ],
          area,
        );
    return {
      path: geoPath(projection),
      project: (p: LatLon) => projection([p.lon, p.lat]),
      invert: (xy: [number, number]) => projection.invert?.(xy) ?? null,
    };
  }, [tileUrl, area]);
  const pick = (event: MouseEvent<SVGRectElement>) => {
    const svg = event.currentTarget.ownerSVGElement;
    const matrix = svg?.getScreenCTM()?.inverse();
    if (!svg || !matrix || !onPick) return;
    const at = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix);
    const lonLat = invert([at.x, at.y]);
    if (lonLat) onPick({ lat: lonLat[1], lon: lonLat[0] });
  };
  const trailPath = trail
    .map((p) => project(p))
    .filter((xy): xy is [number, number] => xy !== null)
    .map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${x},${y}`)
    .join(' ');
  return (
    <figure className="map">
      {/* With selectable points it is a group of links, not an image (no controls inside an image). */}
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role={onSelect ? 'group' : 'img'} aria-label={title}>
        <title>{title}</title>
        {onPick && <rect className="sea" width={WIDTH} height={HEIGHT} onClick={pick} data-testid="map-surface" />}
        {tileUrl ? (
          <g pointerEvents="none">
            {tilesOf(tileUrl).map((t) => (
              <image key={t.key} href={t.href} x={t.x} y={t.y} width={TILE} height={TILE} />
            ))}
          </g>
        ) : (
          <g className="land" pointerEvents="none">
            {land.features.map((country, i) => (
              <path key={i} d={path(country) ?? undefined} />
            ))}
          </g>
        )}
        {trailPath && <path className="trail" d={trailPath} pointerEvents="none" />}
        {points.map((point) => {
          const xy = project(point);
          if (!xy) return null;
          const marker = <circle cx={xy[0]} cy={xy[1]} r={5} className="point" />;
          return onSelect ? (
            <a
              key={point.id}
              href={`#${point.id}`}
              aria-label={point.label}
              onClick={(event) => {
                event.preventDefault();
                onSelect(point.id);
              }}
            >
              {marker}
            </a>
          ) : (
            <g key={point.id}>
              <title>{point.label}</title>
              {marker}
            </g>
          );
        })}
      </svg>
      <figcaption>
        {points.length === 0 ? 'No locations to show.' : `${points.length} location(s) shown.`}{' '}
        {zoomable && (
          <button type="button" className="link" onClick={() => setWhole((w) => !w)}>
            {whole ? 'Zoom to the locations' : 'Show the whole world'}
          </button>
        )}
      </figcaption>
    </figure>
  );
}
