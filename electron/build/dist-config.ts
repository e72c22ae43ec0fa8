import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { ElectronFuses } from './fuses';
import { OUT, ROOT } from './paths';
import { BuildError } from './run';

/**
 * A release build is what installers ship. A test build is the same app with one fuse
 * different: Node's inspector arguments stay on, because Playwright's _electron.launch drives
 * the app through --inspect (with the fuse off the launch hangs, podman-desktop#4127). It goes
 * to its own folder and its files are named -test, so it is never shipped by mistake.
 */
export type BuildKind = 'release' | 'test';

export const TEST_BUILD_FLAG = '--test-build';

export type Platform = 'linux' | 'win' | 'mac';
const PLATFORM_FLAGS: Record<string, Platform> = {
  '--linux': 'linux',
  '-l': 'linux',
  '--win': 'win',
  '--windows': 'win',
  '-w': 'win',
  '--mac': 'mac',
  '--macos': 'mac',
  '-m': 'mac',
};

export interface DistConfig {
  directories: { output: string; buildResources?: string };
  electronFuses: ElectronFuses;
  artifactName: string;
  linux?: { executableName?: string };
  productName: string;
  [key: string]: unknown;
}

/** `npm run dist -- <flags>`: which build for which platforms, and electron-builder's flags. */
export function distArguments(flags: readonly string[]): {
  kind: BuildKind;
  platforms: Platform[];
  builder: string[];
} {
  const platforms = [
    ...new Set(flags.flatMap((flag) => (PLATFORM_FLAGS[flag] ? [PLATFORM_FLAGS[flag]] : []))),
  ];
  if (platforms.length === 0)
    throw new BuildError(
      `name the platform: npm run dist -- --linux (deb, AppImage), --win (nsis) or --mac (dmg); add ${TEST_BUILD_FLAG} for a build the Playwright smoke test can drive`,
    );
  return {
    kind: flags.includes(TEST_BUILD_FLAG) ? 'test' : 'release',
    platforms,
    builder: flags.filter((flag) => flag !== TEST_BUILD_FLAG),
  };
}

/** electron-builder.yml as electron-builder gets it for this kind of build. */
export function distConfig(kind: BuildKind): DistConfig {
  const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as DistConfig;
  if (kind === 'release') return config;
  return {
    ...config,
    directories: { ...config.directories, output: 'dist/test-build' },
    artifactName: config.artifactName.replace(/\.\$\{ext\}$/, '-test.${ext}'),
    electronFuses: { ...config.electronFuses, enableNodeCliInspectArguments: true },
  };
}

/** Writes the configuration for electron-builder's --config; returns its path. */
export function writeDistConfig(kind: BuildKind): string {
  mkdirSync(OUT, { recursive: true });
  const path = join(OUT, `electron-builder.${kind}.json`);
  writeFileSync(path, `${JSON.stringify(distConfig(kind), null, 2)}\n`);
  return path;
}

/**
 * The apps electron-builder left unpacked in the build's output folder for these platforms
 * (Linux and Windows: the executable; macOS: the .app, any architecture): what the fuses are
 * read back from, and what the smoke test launches from a test build.
 */
export function unpackedApps(kind: BuildKind, platforms: readonly Platform[]): string[] {
  const config = distConfig(kind);
  const output = join(ROOT, config.directories.output);
  if (!existsSync(output)) return [];
  const executable: Record<Platform, string> = {
    linux: config.linux?.executableName ?? config.productName,
    win: `${config.productName}.exe`,
    mac: `${config.productName}.app`,
  };
  return readdirSync(output, { withFileTypes: true }).flatMap((entry) => {
    const platform = /^(linux|win)(-\w+)?-unpacked$|^(mac)(-\w+)?$/.exec(entry.name);
    const which = (platform?.[1] ?? platform?.[3]) as Platform | undefined;
    if (!entry.isDirectory() || !which || !platforms.includes(which)) return [];
    const app = join(output, entry.name, executable[which]);
    return existsSync(app) ? [app] : [];
  });
}
