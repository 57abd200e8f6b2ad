/**
 * Why: every page with figures (the big screen, 示范评估) opens the same drill-down panel;
 * this holds which figure is open and renders the panel, so a page only provides the
 * opener (FigureContext) and places `panel`.
 */
import { useCallback, useMemo, useState } from 'react';
import type { FigureDrill } from './FigureContext';
import { FigurePanel } from './FigurePanel';

/** `scope`: the page's region; undefined for none (the city, e.g. a cohort); null while the page is not ready. */
export function useFigurePanel(scope: string | null | undefined) {
  const [openFigure, setOpenFigure] = useState<{ id: string; drill?: FigureDrill } | null>(null);
  const opener = useMemo(() => ({ open: (id: string, drill?: FigureDrill) => setOpenFigure({ id, drill }) }), []);
  const close = useCallback(() => setOpenFigure(null), []);
  const figureScope = useMemo(() => (scope !== null && openFigure ? { ...(scope ? { scope } : {}), ...openFigure.drill } : null), [scope, openFigure]);
  const panel = openFigure && figureScope ? <FigurePanel id={openFigure.id} scope={figureScope} onClose={close} /> : null;
  return { opener, panel };
}
