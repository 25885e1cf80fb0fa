'use strict';
/**
 * electron-builder `afterPack` hook: flips the release fuses (build/release-fuses.cjs) into the
 * packaged Electron binary with @electron/fuses 2.1.3, then reads the wire back and fails the
 * build if any fuse is not as decided.
 *
 * Why a hook and not electron-builder's built-in `electronFuses` option (which 26.x has):
 * app-builder-lib 26.17.0 flips built-in fuses with its own nested @electron/fuses 1.8.0
 * (node_modules/app-builder-lib/node_modules/@electron/fuses), whose enum stops at
 * GrantFileProtocolExtraPrivileges, and its `electronFuses` schema accepts neither the
 * WasmTrapHandlers fuse nor `strictlyRequireAllFuses`. This hook uses the project's pinned
 * 2.1.3 in strict mode, so an Electron upgrade that adds a fuse fails the build until
 * release-fuses.cjs decides it. Do not also set `electronFuses`: it would flip the wire a
 * second time with the older library.
 *
 * Timing (app-builder-lib/out/platformPackager.js doPack): afterPack runs after the app files,
 * app.asar and its integrity record (Info.plist ElectronAsarIntegrity / the Windows exe
 * resource) are in place and before code signing, which is where fuses must be flipped: the
 * signature then covers the flipped binary.
 *
 * Executable per platform, as electron-builder's own PlatformPackager.addElectronFuses finds it:
 *   macOS (darwin, mas)  <appOutDir>/<productFilename>.app   (@electron/fuses edits
 *                        Contents/Frameworks/Electron Framework.framework/Electron Framework)
 *   Windows (win32)      <appOutDir>/<productFilename>.exe
 *   Linux                <appOutDir>/<executableName>
 *
 * macOS universal builds call afterPack three times (x64 and arm64 temp apps, then the merged
 * app); flipping is idempotent and @electron/fuses flips both slices of a universal binary.
 */
const path = require('node:path');
const { loadFuseConfig } = require('./release-fuses.cjs');

/** builder-util's Arch enum (ia32=0, x64=1, armv7l=2, arm64=3, universal=4), by name. */
function archName(arch) {
  if (typeof arch === 'string') return arch;
  const { Arch } = require('electron-builder');
  return Arch[arch];
}

/**
 * @param {{ appOutDir: string, electronPlatformName: string,
 *   packager: { appInfo: { productFilename: string }, executableName?: string } }} context
 */
function electronExecutablePath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  switch (electronPlatformName) {
    case 'darwin':
    case 'mas':
      return path.join(appOutDir, `${packager.appInfo.productFilename}.app`);
    case 'win32':
      return path.join(appOutDir, `${packager.appInfo.productFilename}.exe`);
    case 'linux':
      return path.join(appOutDir, packager.executableName);
    default:
      throw new Error(`after-pack-fuses: unsupported platform ${electronPlatformName}`);
  }
}

/**
 * Electron's prebuilt arm64 macOS binaries carry an ad-hoc signature that editing the fuse wire
 * invalidates, and Apple Silicon refuses to run unsigned code. electron-builder re-signs right
 * after this hook when a Developer ID is available; the reset keeps unsigned local builds
 * (CSC_IDENTITY_AUTO_DISCOVERY=false, no certificate) launchable. Needs `codesign`, i.e. macOS.
 */
function needsAdHocReset(context) {
  const isMac = context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas';
  const arch = archName(context.arch);
  return isMac && (arch === 'arm64' || arch === 'universal');
}

/** @param {Parameters<typeof electronExecutablePath>[0] & { arch: number | string }} context */
async function afterPack(context) {
  const executable = electronExecutablePath(context);
  const config = await loadFuseConfig({ resetAdHocDarwinSignature: needsAdHocReset(context) });
  const { flipFuses, getCurrentFuseWire, FuseV1Options, FuseState } = await import('@electron/fuses');

  const slices = await flipFuses(executable, config);

  const wire = await getCurrentFuseWire(executable);
  const wrong = Object.keys(FuseV1Options)
    .filter((key) => !Number.isNaN(Number(key)) && typeof config[key] === 'boolean')
    .filter((index) => wire[index] !== (config[index] ? FuseState.ENABLE : FuseState.DISABLE))
    .map((index) => FuseV1Options[index]);
  if (wrong.length > 0) {
    throw new Error(`after-pack-fuses: ${executable} still has the wrong state for ${wrong.join(', ')}`);
  }
  console.log(`  • flipped release fuses  executable=${executable} slices=${slices}`);
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.afterPack = afterPack;
module.exports.electronExecutablePath = electronExecutablePath;
module.exports.needsAdHocReset = needsAdHocReset;
