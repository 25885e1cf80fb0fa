import { describe, expect, test } from 'vitest';
import { chooseWindowBounds, parseSavedWindowState } from '../../../../src-main/shell/window-bounds';

const laptop = { x: 0, y: 0, width: 1440, height: 875 };
const externalMonitor = { x: 1440, y: 0, width: 2560, height: 1400 };

describe('window placement', () => {
  test('restores the saved place when it is still on a connected display', () => {
    const saved = { bounds: { x: 1600, y: 100, width: 1600, height: 1000 }, maximized: false };
    expect(chooseWindowBounds(saved, [laptop, externalMonitor])).toEqual(saved);
  });

  test('centres the default size on the primary display when the saved display is gone', () => {
    const saved = { bounds: { x: 1600, y: 100, width: 1600, height: 1000 }, maximized: true };
    expect(chooseWindowBounds(saved, [laptop])).toEqual({ bounds: { x: 80, y: 28, width: 1280, height: 820 }, maximized: false });
  });

  test('shrinks a saved size that no longer fits, but not below the minimum', () => {
    const saved = { bounds: { x: 0, y: 0, width: 3000, height: 2000 }, maximized: false };
    expect(chooseWindowBounds(saved, [laptop]).bounds).toEqual({ x: 0, y: 0, width: 1440, height: 875 });
    const tiny = { bounds: { x: 10, y: 10, width: 200, height: 100 }, maximized: false };
    expect(chooseWindowBounds(tiny, [laptop]).bounds).toMatchObject({ width: 960, height: 640 });
  });

  test('ignores a saved state that is not a window state', () => {
    expect(parseSavedWindowState({ bounds: { x: 'a', y: 0, width: 1, height: 1 } })).toBeUndefined();
    expect(parseSavedWindowState('big')).toBeUndefined();
    expect(parseSavedWindowState({ bounds: { x: 1, y: 2, width: 3, height: Number.NaN } })).toBeUndefined();
  });
});
