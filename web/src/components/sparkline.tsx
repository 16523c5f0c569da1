// A figure's values answer by answer as a small line, with its target band shaded. Decorative: the
// numbers it draws are written out beside it.
interface Props {
  values: number[];
  /** The target range; an open bound reaches the edge. */
  target: { min: number | null; max: number | null } | null;
}

const WIDTH = 240;
const HEIGHT = 48;
const PAD = 4;

export function Sparkline({ values, target }: Props) {
  if (values.length === 0) return null;
  const bounds = [
    ...values,
    ...(target?.min != null ? [target.min] : []),
    ...(target?.max != null ? [target.max] : []),
  ];
  let low = Math.min(...bounds);
  let high = Math.max(...bounds);
  if (high - low < 1e-9) {
    low -= 1;
    high += 1;
  }
  const y = (value: number) => PAD + (HEIGHT - 2 * PAD) * (1 - (value - low) / (high - low));
  const x = (index: number) =>
    values.length === 1 ? WIDTH / 2 : PAD + ((WIDTH - 2 * PAD) * index) / (values.length - 1);
  const points = values.map((value, index) => `${x(index).toFixed(1)},${y(value).toFixed(1)}`).join(' ');
  // An open bound reaches the edge.
  const bandTop = target?.max == null ? 0 : y(target.max);
  const bandBottom = target?.min == null ? HEIGHT : y(target.min);
  const last = values.length - 1;
  return (
    <svg class="sparkline" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" aria-hidden="true">
      {target && (
        <rect class="sparkline-band" x="0" y={bandTop} width={WIDTH} height={Math.max(bandBottom - bandTop, 1)} />
      )}
      {values.length > 1 && <polyline class="sparkline-line" points={points} vector-effect="non-scaling-stroke" />}
      {/* A zero-length round-capped line: a dot that stays round when the drawing is stretched. */}
      <line
        class="sparkline-last"
        x1={x(last)}
        y1={y(values[last]!)}
        x2={x(last)}
        y2={y(values[last]!)}
        vector-effect="non-scaling-stroke"
      />
    </svg>
  );
}
