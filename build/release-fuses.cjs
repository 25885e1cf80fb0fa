'use strict';
/**
 * The Electron fuses of every Consentry release build: the single place they are decided.
 *
 * build/after-pack-fuses.cjs flips exactly these into the packaged Electron binary (via
 * @electron/fuses 2.1.3, the project's devDependency); a unit test can import this module to
 * pin the policy. Keys are FuseV1Options member names of @electron/fuses; buildFuseConfig()
 * refuses a name the installed enum does not know, and a fuse the enum knows but this table
 * does not decide, so an @electron/fuses or Electron upgrade cannot add a fuse silently.
 * Why each value: build/README.md ("Fuses").
 *
 * CommonJS because package.json has "type": "module" and electron-builder require()s hooks.
 */

/** @type {Readonly<Record<string, boolean>>} fuse name -> enabled in release builds */
const RELEASE_FUSES = Object.freeze({
  // ELECTRON_RUN_AS_NODE would turn the signed binary into a general-purpose Node runtime.
  RunAsNode: false,
  // Encrypt the Chromium cookie store with an OS-held key (Keychain / DPAPI / libsecret).
  EnableCookieEncryption: true,
  // NODE_OPTIONS / NODE_EXTRA_CA_CERTS would let the environment inject code or trust anchors.
  EnableNodeOptionsEnvironmentVariable: false,
  // --inspect / --inspect-brk / SIGUSR1 would open a debugger on the main process.
  EnableNodeCliInspectArguments: false,
  // Verify app.asar against the header hash electron-builder records (Info.plist / exe resource).
  EnableEmbeddedAsarIntegrityValidation: true,
  // Load the app only from app.asar (not app/ or default_app.asar): with the fuse above,
  // no unvalidated code can be loaded.
  OnlyLoadAppFromAsar: true,
  // Electron's default; no custom browser-process V8 snapshot is shipped.
  LoadBrowserProcessSpecificV8Snapshot: false,
  // The renderer is served over app:// (src-main/shell/app-protocol.ts), never file://.
  GrantFileProtocolExtraPrivileges: false,
  // Electron's default (V8 traps out-of-bounds WebAssembly memory access with signal handlers).
  // Decided explicitly because strict mode below requires every fuse on the wire to be set.
  WasmTrapHandlers: true,
});

/**
 * Fail the build when the Electron binary carries a fuse this table does not decide
 * (@electron/fuses `strictlyRequireAllFuses`).
 */
const STRICTLY_REQUIRE_ALL_FUSES = true;

/** Enum member names of a TypeScript numeric enum object (which also maps numbers back to names). */
function enumNames(enumObject) {
  return Object.keys(enumObject).filter((key) => Number.isNaN(Number(key)));
}

/**
 * Turns RELEASE_FUSES into the FuseConfig that @electron/fuses' flipFuses() takes.
 *
 * @param {{ FuseVersion: { V1: string }, FuseV1Options: Record<string, string | number> }} fuses
 *   the loaded `@electron/fuses` module (or anything with its two enums)
 * @param {{ resetAdHocDarwinSignature?: boolean }} [options]
 */
function buildFuseConfig(fuses, options = {}) {
  const { FuseVersion, FuseV1Options } = fuses;
  const known = enumNames(FuseV1Options);
  const unknown = Object.keys(RELEASE_FUSES).filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new Error(`release-fuses: @electron/fuses has no fuse named ${unknown.join(', ')}`);
  }
  const undecided = known.filter((name) => !(name in RELEASE_FUSES));
  if (STRICTLY_REQUIRE_ALL_FUSES && undecided.length > 0) {
    throw new Error(`release-fuses: decide a release value for ${undecided.join(', ')} in build/release-fuses.cjs`);
  }
  const config = {
    version: FuseVersion.V1,
    strictlyRequireAllFuses: STRICTLY_REQUIRE_ALL_FUSES,
    resetAdHocDarwinSignature: Boolean(options.resetAdHocDarwinSignature),
  };
  for (const [name, enabled] of Object.entries(RELEASE_FUSES)) {
    config[FuseV1Options[name]] = enabled;
  }
  return config;
}

/**
 * buildFuseConfig() with the installed @electron/fuses (ESM-only since 2.x, hence import()).
 *
 * @param {{ resetAdHocDarwinSignature?: boolean }} [options]
 */
async function loadFuseConfig(options = {}) {
  return buildFuseConfig(await import('@electron/fuses'), options);
}

module.exports = { RELEASE_FUSES, STRICTLY_REQUIRE_ALL_FUSES, buildFuseConfig, loadFuseConfig };
