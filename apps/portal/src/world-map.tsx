import { geoEqualEarth, geoPath } from 'd3-geo';
import { useMemo } from 'react';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import countries110m from 'world-atlas/countries-110m.json';

// The basemap ships with the app (Natural Earth outlines from the world-atlas package): maps work with
// no internet. A tile server for production deployments would replace this layer.
const WIDTH = 960;
const HEIGHT = 500;
const topology = countries110m as unknown as Topology<{ countries: GeometryCollection }>;
const land = feature(topology, topology.objects.countries);

export interface MapPoint {
  id: string;
  lat: number;
  lon: number;
  label: string;
}

/** Points on a world map; each point is a button (keyboard reachable) when `onSelect` is given. */
export function WorldMap({
  points,
  title,
  onSelect,
}: {
  points: MapPoint[];
  title: string;
  onSelect?: (id: string) => void;
}) {
  const { path, project } = useMemo(() => {
    const projection = geoEqualEarth().fitSize([WIDTH, HEIGHT], land);
    return { path: geoPath(projection), project: (p: MapPoint) => projection([p.lon, p.lat]) };
  }, []);
  return (
    <figure className="map">
      {/* With selectable points it is a group of links, not an image (no controls inside an image). */}
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role={onSelect ? 'group' : 'img'} aria-label={title}>
        <title>{title}</title>
        <g className="land">
          {land.features.map((country, i) => (
            <path key={i} d={path(country) ?? undefined} />
          ))}
        </g>
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
      <figcaption>{points.length === 0 ? 'No locations to show.' : `${points.length} location(s) shown.`}</figcaption>
    </figure>
  );
}
