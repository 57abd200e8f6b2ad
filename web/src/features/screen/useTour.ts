/**
 * Auto tour: cycles through the demonstration circles and belts, one every
 * `intervalS` seconds. Any user interaction pauses it; it resumes by itself
 * after RESUME_AFTER_MS without interaction (or at once with resume()).
 */
import { useCallback, useEffect, useRef, useState } from 'react';

const RESUME_AFTER_MS = 90_000;

export function useTour(count: number, intervalS: number, enabled: boolean) {
  const [index, setIndex] = useState(0);
  const [paused, setPaused] = useState(false);
  const resumeTimer = useRef<number | undefined>(undefined);

  useEffect(() => {
    if (!enabled || paused || count === 0) return;
    const timer = window.setInterval(() => setIndex((i) => (i + 1) % count), Math.max(3, intervalS) * 1000);
    return () => window.clearInterval(timer);
  }, [enabled, paused, count, intervalS]);

  const pause = useCallback(() => {
    setPaused(true);
    window.clearTimeout(resumeTimer.current);
    resumeTimer.current = window.setTimeout(() => setPaused(false), RESUME_AFTER_MS);
  }, []);
  const resume = useCallback(() => {
    window.clearTimeout(resumeTimer.current);
    setPaused(false);
  }, []);
  useEffect(() => () => window.clearTimeout(resumeTimer.current), []);

  return { index: count ? index % count : 0, paused, pause, resume, next: () => setIndex((i) => (i + 1) % Math.max(1, count)) };
}
