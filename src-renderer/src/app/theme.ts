import { createTheme, type MantineColorScheme, type MantineColorSchemeManager } from '@mantine/core';
import type { ConsentryClient } from '../../../src-preload/client';
import type { ThemePreference } from '../../../src-shared/contract/settings';

export const consoleTheme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'md',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  headings: { fontWeight: '650' },
});

export function toColorScheme(theme: ThemePreference): MantineColorScheme {
  return theme === 'system' ? 'auto' : theme;
}

export function toThemePreference(scheme: MantineColorScheme): ThemePreference {
  return scheme === 'auto' ? 'system' : scheme;
}

/**
 * Mantine keeps its colour scheme where this manager says: in Consentry's own settings (main
 * process, electron-store), not in the page's localStorage, so the choice is one setting with one
 * source of truth.
 */
export function settingsColorSchemeManager(client: ConsentryClient, initial: ThemePreference): MantineColorSchemeManager {
  let current = initial;
  let unsubscribe: (() => void) | undefined;
  return {
    get: () => toColorScheme(current),
    set: (value) => {
      current = toThemePreference(value);
      client.call('settings.update', { theme: current }).catch(() => undefined);
    },
    subscribe: (onUpdate) => {
      unsubscribe = client.on('settings.changed', (settings) => {
        if (settings.theme === current) return;
        current = settings.theme;
        onUpdate(toColorScheme(current));
      });
    },
    unsubscribe: () => {
      unsubscribe?.();
      unsubscribe = undefined;
    },
    clear: () => undefined,
  };
}
