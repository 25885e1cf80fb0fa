/** Where the window opens: pure geometry, kept apart from Electron so it can be tested in Node. */

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface SavedWindowState {
  bounds: Rectangle;
  maximized: boolean;
}

export const defaultWindowSize = { width: 1280, height: 820 };
export const minimumWindowSize = { width: 960, height: 640 };

function overlapArea(a: Rectangle, b: Rectangle): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return width > 0 && height > 0 ? width * height : 0;
}

export function parseSavedWindowState(value: unknown): SavedWindowState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { bounds, maximized } = value as Record<string, unknown>;
  if (typeof bounds !== 'object' || bounds === null) return undefined;
  const { x, y, width, height } = bounds as Record<string, unknown>;
  const numbers = [x, y, width, height];
  if (!numbers.every((n) => typeof n === 'number' && Number.isFinite(n))) return undefined;
  return {
    bounds: { x: x as number, y: y as number, width: width as number, height: height as number },
    maximized: maximized === true,
  };
}

/**
 * The saved bounds when at least a quarter of the window (or of the display, if the window is
 * larger) still falls on a connected display — a monitor may have been unplugged since; otherwise
 * the default size centred on the primary display. Sizes are clamped between the minimum and the
 * display's work area.
 */
export function chooseWindowBounds(saved: SavedWindowState | undefined, workAreas: readonly Rectangle[]): SavedWindowState {
  const primary = workAreas[0] ?? { x: 0, y: 0, ...defaultWindowSize };
  const clampSize = (size: { width: number; height: number }, area: Rectangle) => ({
    width: Math.round(Math.max(minimumWindowSize.width, Math.min(size.width, area.width))),
    height: Math.round(Math.max(minimumWindowSize.height, Math.min(size.height, area.height))),
  });
  if (saved) {
    const best = workAreas
      .map((area) => ({ area, overlap: overlapArea(saved.bounds, area) }))
      .sort((a, b) => b.overlap - a.overlap)[0];
    const windowArea = saved.bounds.width * saved.bounds.height;
    if (best && windowArea > 0 && best.overlap >= Math.min(windowArea, best.area.width * best.area.height) / 4) {
      const size = clampSize(saved.bounds, best.area);
      return { bounds: { x: Math.round(saved.bounds.x), y: Math.round(saved.bounds.y), ...size }, maximized: saved.maximized };
    }
  }
  const size = clampSize(defaultWindowSize, primary);
  return {
    bounds: {
      x: Math.round(primary.x + (primary.width - size.width) / 2),
      y: Math.round(primary.y + (primary.height - size.height) / 2),
      ...size,
    },
    maximized: false,
  };
}
