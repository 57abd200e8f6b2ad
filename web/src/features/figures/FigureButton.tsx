/**
 * Why: a number, cell, bar or row that opens its figure's drill-down (definition, filter,
 * records, export) must look and behave alike everywhere — the 双报到 page's figures, the
 * big screen's child rows, the 示范评估 cells and bars — and carry the same data-* marks the
 * browser tests find them by. This is the one button for that; without an opener (a page
 * that provides no panel) it renders only its content.
 */
import type { ReactNode } from 'react';
import { type FigureDrill, useFigureOpener } from './FigureContext';
import './figures.css';

type Opener = { open: (id: string, drill?: FigureDrill) => void };

export interface FigureButtonProps {
  /** The registry figure id (server/figures/registry.ts). */
  figure: string;
  /** The point it stands for: a child region, a month, a scorecard cell's window and cohort. */
  drill?: FigureDrill;
  /** What the figure is, for the title “查看“…”的口径与明细”. */
  label: string;
  /** The page's opener (useFigurePanel); default: the one of FigureContext. */
  opener?: Opener | null;
  /** Layout classes beside `.figure-open` (e.g. a row laid out as a grid). */
  className?: string;
  /** An accessible name when the content alone does not say what opens. */
  ariaLabel?: string;
  /** More data-* attributes (without the prefix), e.g. { window: 'before', numerator: 3 }. */
  data?: Record<string, string | number>;
  children: ReactNode;
}

export function FigureButton({ figure, drill, label, opener, className, ariaLabel, data, children }: FigureButtonProps) {
  const fromContext = useFigureOpener();
  const open = opener === undefined ? fromContext : opener;
  if (!open) return <>{children}</>;
  const marks: Record<string, string | number> = {};
  if (drill?.region) marks['data-region'] = drill.region;
  if (drill?.cohort) marks['data-cohort'] = drill.cohort;
  if (drill?.month) marks['data-month'] = drill.month;
  for (const [k, v] of Object.entries(data ?? {})) marks[`data-${k}`] = v;
  return (
    <button
      type="button"
      className={className ? `${className} figure-open` : 'figure-open'}
      data-figure={figure}
      {...marks}
      title={`查看“${label}”的口径与明细`}
      aria-label={ariaLabel}
      onClick={() => open.open(figure, drill)}
    >
      {children}
    </button>
  );
}
