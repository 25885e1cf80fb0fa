import { FuseV1Options, FuseVersion } from '@electron/fuses';
import { describe, expect, test } from 'vitest';
import { buildFuseConfig, loadFuseConfig, RELEASE_FUSES } from '../../../build/release-fuses.cjs';

describe('release fuses', () => {
  test('turn off Node entry points and turn on cookie encryption and asar integrity', async () => {
    const config = await loadFuseConfig();
    expect(config.version).toBe(FuseVersion.V1);
    expect(config[FuseV1Options.RunAsNode]).toBe(false);
    expect(config[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(config[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(config[FuseV1Options.EnableCookieEncryption]).toBe(true);
    expect(config[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(config[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(config[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false);
  });

  test('decide every fuse the installed @electron/fuses knows, strictly', async () => {
    const names = Object.keys(FuseV1Options).filter((key) => Number.isNaN(Number(key)));
    expect(Object.keys(RELEASE_FUSES).sort()).toEqual(names.sort());
    expect((await loadFuseConfig()).strictlyRequireAllFuses).toBe(true);
  });

  test('fail the build when Electron gains a fuse nobody has decided', () => {
    const withNewFuse = { FuseVersion: { V1: '1' }, FuseV1Options: { ...FuseV1Options, SomeFutureFuse: 99 } };
    expect(() => buildFuseConfig(withNewFuse)).toThrow('decide a release value for SomeFutureFuse');
  });
});
