/**
 * Types for build/release-fuses.cjs, so TypeScript tests can import it:
 *   import { RELEASE_FUSES, buildFuseConfig } from '../../../build/release-fuses.cjs';
 */
import type { FuseV1Options, FuseVersion } from '@electron/fuses';

export type ReleaseFuseName = keyof typeof FuseV1Options;

/** Fuse name (FuseV1Options member of @electron/fuses) -> enabled in release builds. */
export declare const RELEASE_FUSES: Readonly<Record<ReleaseFuseName, boolean>>;

/** Passed to flipFuses as `strictlyRequireAllFuses`. */
export declare const STRICTLY_REQUIRE_ALL_FUSES: boolean;

/** What flipFuses() takes: `{ version, strictlyRequireAllFuses, resetAdHocDarwinSignature, [fuse index]: boolean }`. */
export interface ReleaseFuseConfig {
  version: `${FuseVersion}`;
  strictlyRequireAllFuses: boolean;
  resetAdHocDarwinSignature: boolean;
  [fuseIndex: number]: boolean;
}

export interface FuseOptions {
  resetAdHocDarwinSignature?: boolean;
}

/** Maps RELEASE_FUSES onto the enums of `fuses` (the @electron/fuses module); throws on unknown or undecided fuses. */
export declare function buildFuseConfig(
  fuses: { FuseVersion: { V1: string }; FuseV1Options: Record<string, string | number> },
  options?: FuseOptions,
): ReleaseFuseConfig;

/** buildFuseConfig() with the installed @electron/fuses. */
export declare function loadFuseConfig(options?: FuseOptions): Promise<ReleaseFuseConfig>;
