/**
 * The latest value behind a stable ref: map handlers are bound once, when the map
 * is created, and read the page's current props and callbacks through it.
 */
import { useRef, type RefObject } from 'react';

export function useLatest<T>(value: T): RefObject<T> {
  const ref = useRef(value);
  ref.current = value;
  return ref;
}
