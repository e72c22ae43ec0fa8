import { renameSync, readFileSync, writeFileSync } from 'node:fs';

/** Plain data and pure functions (no electron at run time), so they can be tested under Node. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Rect;
  maximized: boolean;
}

export interface Placement {
  /** Position is absent when the window should be centred by the system. */
  bounds: { width: number; height: number; x?: number; y?: number };
  maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1280, height: 820 } as const;
export const MIN_SIZE = { width: 900, height: 600 } as const;
const MAX_SIDE = 20_000;

function isRect(value: unknown): value is Rect {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return ['x', 'y', 'width', 'height'].every(
    (k) => typeof r[k] === 'number' && Number.isInteger(r[k]) && Math.abs(r[k]) <= MAX_SIDE,
  );
}

/** The saved state, or null when the file is absent, unreadable or not what we wrote. */
export function readWindowState(file: string): WindowState | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { bounds, maximized } = parsed as Record<string, unknown>;
  if (!isRect(bounds) || typeof maximized !== 'boolean') return null;
  if (bounds.width < MIN_SIZE.width || bounds.height < MIN_SIZE.height) return null;
  return { bounds, maximized };
}

/** Written whole then renamed, so a crash never leaves half a file. */
export function writeWindowState(file: string, state: WindowState): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, file);
}

function contains(outer: Rect, inner: Rect): boolean {
  return (
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.width <= outer.x + outer.width &&
    inner.y + inner.height <= outer.y + outer.height
  );
}

/**
 * Where the window opens: the saved bounds when they lie wholly on one of the current
 * displays' work areas; else the saved size, centred, when it fits on one; else the default
 * size, centred. A display unplugged since the last run never leaves the window off-screen.
 */
export function placeWindow(saved: WindowState | null, workAreas: Rect[]): Placement {
  if (saved) {
    if (workAreas.some((area) => contains(area, saved.bounds)))
      return { bounds: { ...saved.bounds }, maximized: saved.maximized };
    const { width, height } = saved.bounds;
    if (workAreas.some((area) => area.width >= width && area.height >= height))
      return { bounds: { width, height }, maximized: saved.maximized };
  }
  return { bounds: { ...DEFAULT_SIZE }, maximized: saved?.maximized ?? false };
}
