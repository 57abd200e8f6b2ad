/**
 * Why: a map move asks for dozens of tiles at once, and each uncached one is a CPU-bound
 * ST_AsMVT query. Letting all of them run in the database together only makes them share
 * the cores: no tile comes sooner, the Node process that must answer them gets a smaller
 * share of the CPU (the scheduler splits it among every busy backend), and other requests
 * wait behind the storm. So renders take one of a few slots — about one per core, as
 * martin sizes its pool — and the rest queue here, in order, costing nothing.
 * TILE_RENDER_SLOTS overrides the count (0: unlimited).
 */
import { availableParallelism } from 'node:os';

export interface RenderSlots {
  run<T>(work: () => Promise<T>): Promise<T>;
  readonly waiting: number;
  readonly running: number;
}

export function defaultRenderSlots(env: Record<string, string | undefined> = process.env): number {
  const configured = env.TILE_RENDER_SLOTS;
  if (configured !== undefined && configured !== '') {
    const n = Number(configured);
    if (!Number.isInteger(n) || n < 0) throw new Error(`TILE_RENDER_SLOTS 应为非负整数，收到 ${configured}`);
    return n;
  }
  return availableParallelism() + 1;
}

/** `slots` renders at a time (0 or less: no limit); the others start first come, first served. */
export function renderSlots(slots: number): RenderSlots {
  let running = 0;
  const queue: (() => void)[] = [];
  const release = () => {
    running--;
    const next = queue.shift();
    if (next) {
      running++;
      next();
    }
  };
  return {
    async run<T>(work: () => Promise<T>): Promise<T> {
      if (slots > 0) {
        if (running >= slots) await new Promise<void>((start) => queue.push(start));
        else running++;
      }
      try {
        return await work();
      } finally {
        if (slots > 0) release();
      }
    },
    get waiting() {
      return queue.length;
    },
    get running() {
      return running;
    },
  };
}
