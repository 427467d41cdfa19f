const WIDTH = 600;
const HEIGHT = 160;
const PAD = 32;

export interface TimePoint {
  at: Date;
  value: number;
}

/** A line over time, with its range stated in words for screen readers (the table beside it has every value). */
export function TimeChart({
  title,
  unit,
  points,
  max,
}: {
  title: string;
  unit: string;
  points: TimePoint[];
  max: number;
}) {
  if (points.length === 0) return <p>{title}: no values in this period.</p>;
  const [first, last] = [points[0].at.getTime(), points[points.length - 1].at.getTime()];
  const x = (t: Date) => PAD + ((t.getTime() - first) / Math.max(1, last - first)) * (WIDTH - 2 * PAD);
  const y = (v: number) => HEIGHT - PAD - (Math.min(v, max) / max) * (HEIGHT - 2 * PAD);
  const values = points.map((p) => p.value);
  const summary =
    `${title}: ${points.length} values from ${points[0].at.toLocaleString()} to ${points[points.length - 1].at.toLocaleString()}, ` +
    `lowest ${Math.min(...values)}${unit}, highest ${Math.max(...values)}${unit}, latest ${values[values.length - 1]}${unit}`;
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary}>
        <line x1={PAD} y1={HEIGHT - PAD} x2={WIDTH - PAD} y2={HEIGHT - PAD} className="axis" />
        <line x1={PAD} y1={PAD} x2={PAD} y2={HEIGHT - PAD} className="axis" />
        <text x={4} y={PAD + 4}>
          {max}
        </text>
        <text x={4} y={HEIGHT - PAD}>
          0
        </text>
        <polyline className="series" points={points.map((p) => `${x(p.at)},${y(p.value)}`).join(' ')} />
        {points.map((p, i) => (
          <circle key={i} cx={x(p.at)} cy={y(p.value)} r={2.5} className="series-point" />
        ))}
      </svg>
    </figure>
  );
}
