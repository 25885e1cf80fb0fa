/**
 * The interactive-sign-in port as tests drive it: every authorization URL the client opens goes to
 * the scripted person of authorization-driver.ts (or nowhere, with 'ignore'), and is kept.
 */
import type { InteractiveSignIn } from '../../src-main/oauth/oauth-client';
import { driveAuthorization, type DriveOptions, type DriveResult } from './authorization-driver';

export interface ScriptedSignIn extends InteractiveSignIn {
  /** Every URL handed to the "system browser", in order. */
  opened: string[];
  /** What the listener answered the "browser", per URL. */
  results: Promise<DriveResult>[];
}

export function scriptedSignIn(browser: DriveOptions | 'ignore' = {}, extra: Partial<InteractiveSignIn> = {}): ScriptedSignIn {
  const opened: string[] = [];
  const results: Promise<DriveResult>[] = [];
  return {
    opened,
    results,
    openBrowser: async (url) => {
      opened.push(url);
      if (browser === 'ignore') return;
      const result = driveAuthorization(url, browser);
      result.catch(() => undefined);
      results.push(result);
    },
    onWaitingForBrowser: () => undefined,
    onExchangingCode: () => undefined,
    signal: new AbortController().signal,
    timeoutMs: 20_000,
    ...extra,
  };
}
