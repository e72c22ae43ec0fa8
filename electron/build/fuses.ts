import { FuseV1Options, FuseVersion, getCurrentFuseWire, type FuseV1Config } from '@electron/fuses';

/**
 * electron-builder's `electronFuses` (its FuseOptionsV1), as electron-builder.yml sets them.
 * electron-builder hands each one to @electron/fuses under the option below; the same mapping
 * here lets the dist script read the packaged binary back and compare.
 */
export interface ElectronFuses {
  runAsNode?: boolean;
  enableCookieEncryption?: boolean;
  enableNodeOptionsEnvironmentVariable?: boolean;
  enableNodeCliInspectArguments?: boolean;
  enableEmbeddedAsarIntegrityValidation?: boolean;
  onlyLoadAppFromAsar?: boolean;
  loadBrowserProcessSpecificV8Snapshot?: boolean;
  grantFileProtocolExtraPrivileges?: boolean;
  resetAdHocDarwinSignature?: boolean;
}

type FuseName = Exclude<keyof ElectronFuses, 'resetAdHocDarwinSignature'>;

export const FUSE_OPTIONS: Record<FuseName, FuseV1Options> = {
  runAsNode: FuseV1Options.RunAsNode,
  enableCookieEncryption: FuseV1Options.EnableCookieEncryption,
  enableNodeOptionsEnvironmentVariable: FuseV1Options.EnableNodeOptionsEnvironmentVariable,
  enableNodeCliInspectArguments: FuseV1Options.EnableNodeCliInspectArguments,
  enableEmbeddedAsarIntegrityValidation: FuseV1Options.EnableEmbeddedAsarIntegrityValidation,
  onlyLoadAppFromAsar: FuseV1Options.OnlyLoadAppFromAsar,
  loadBrowserProcessSpecificV8Snapshot: FuseV1Options.LoadBrowserProcessSpecificV8Snapshot,
  grantFileProtocolExtraPrivileges: FuseV1Options.GrantFileProtocolExtraPrivileges,
};

function setFuses(fuses: ElectronFuses): [FuseName, boolean][] {
  return (Object.keys(FUSE_OPTIONS) as FuseName[]).flatMap((name) => {
    const value = fuses[name];
    return value === undefined ? [] : [[name, value] as [FuseName, boolean]];
  });
}

/** The fuses as @electron/fuses' flipFuses takes them (fuses left unset keep Electron's default). */
export function fuseConfig(fuses: ElectronFuses): FuseV1Config {
  const config: FuseV1Config = { version: FuseVersion.V1 };
  for (const [name, value] of setFuses(fuses)) config[FUSE_OPTIONS[name]] = value;
  if (fuses.resetAdHocDarwinSignature !== undefined)
    config.resetAdHocDarwinSignature = fuses.resetAdHocDarwinSignature;
  return config;
}

// @electron/fuses' wire bytes: '0' off, '1' on (a removed fuse is 'r').
const ON = '1'.charCodeAt(0);
const OFF = '0'.charCodeAt(0);

/**
 * What in the Electron binary at `app` (an executable, or a macOS .app) is not as `fuses`
 * asks: one sentence per fuse, none when all are as asked.
 */
export async function fuseMismatches(app: string, fuses: ElectronFuses): Promise<string[]> {
  const wire = (await getCurrentFuseWire(app)) as unknown as Record<number, number | undefined>;
  return setFuses(fuses).flatMap(([name, wanted]) => {
    const option = FUSE_OPTIONS[name];
    const state = wire[option];
    if (state === (wanted ? ON : OFF)) return [];
    const found =
      state === ON ? 'on' : state === OFF ? 'off' : state === undefined ? 'missing' : 'removed';
    return [`${FuseV1Options[option]} is ${found}; it should be ${wanted ? 'on' : 'off'}`];
  });
}
