/** A number that counts from its previous value to the new one (refreshes read as change, not as a blink). */
import { useEffect, useRef, useState } from 'react';
import { FigureButton } from '../figures/FigureButton';

export function AnimatedNumber({ value, digits = 0, suffix = '', durationMs = 900 }: { value: number | null; digits?: number; suffix?: string; durationMs?: number }) {
  const [shown, setShown] = useState(value ?? 0);
  const from = useRef(value ?? 0);
  useEffect(() => {
    if (value === null) return;
    const start = performance.now();
    const a = from.current;
    let frame = 0;
    const step = (t: number) => {
      const k = Math.min(1, (t - start) / durationMs);
      const eased = 1 - (1 - k) ** 3;
      const v = a + (value - a) * eased;
      setShown(v);
      from.current = v;
      if (k < 1) frame = requestAnimationFrame(step);
    };
    frame = requestAnimationFrame(step);
    return () => cancelAnimationFrame(frame);
  }, [value, durationMs]);
  if (value === null) return <>—</>;
  return (
    <>
      {shown.toLocaleString('zh-CN', { minimumFractionDigits: digits, maximumFractionDigits: digits })}
      {suffix}
    </>
  );
}

/** A headline figure. `data-kpi` marks it for the video-wall seam check in the browser test. */
export function Kpi({
  label,
  value,
  digits,
  suffix,
  unit,
  tone,
  figure,
}: {
  label: string;
  value: number | null;
  digits?: number;
  suffix?: string;
  unit?: string;
  tone?: 'gold' | 'red' | 'green' | 'blue';
  figure?: string;
}) {
  const body = (
    <div className={`kpi kpi-${tone ?? 'gold'}`}>
      <div className="kpi-value" data-kpi={label}>
        <AnimatedNumber value={value} digits={digits} suffix={suffix} />
        {unit && <span className="kpi-unit">{unit}</span>}
      </div>
      <div className="kpi-label">{label}</div>
    </div>
  );
  // A registered figure opens its drill-down (definition, filter, records, export).
  if (!figure) return body;
  return (
    <FigureButton figure={figure} label={label} className="kpi-open">
      {body}
    </FigureButton>
  );
}
