/** A small line of the last values, newest on the right; enough to see a lag grow or drain. */
export function Sparkline({ values, label, testId }: { values: number[]; label: string; testId?: string }) {
  const width = 220;
  const height = 40;
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const points = values.map((value, i) => `${(i * step).toFixed(1)},${(height - 2 - (value / max) * (height - 4)).toFixed(1)}`).join(' ');
  const latest = values.at(-1);
  return (
    <figure className="sparkline" data-testid={testId}>
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${label}, last ${values.length} readings, highest ${max}`}>
        <line x1="0" y1={height - 2} x2={width} y2={height - 2} stroke="#d0d5dd" strokeWidth="1" />
        {values.length > 1 && <polyline points={points} fill="none" stroke="#175cd3" strokeWidth="2" />}
      </svg>
      <figcaption>
        {label}: <strong>{latest ?? '–'}</strong> <span className="muted small">(highest {max} over the last {values.length} readings)</span>
      </figcaption>
    </figure>
  );
}
