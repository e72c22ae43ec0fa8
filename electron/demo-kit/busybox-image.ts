import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { pack, type Header } from 'tar-stream';

const run = promisify(execFile);

/**
 * A one-layer image (the tests' and the demo kit's) made offline from the machine's statically linked busybox (Debian's
 * `busybox-static`): /bin/busybox with a symbolic link per applet where busybox would install
 * it (`sh`, `sleep`, `httpd`, `wget`, `nc`, …), /etc/passwd and /etc/group for root and
 * nobody, a world-writable /tmp, and /www/index.html, served by `httpd -f -p 8080` from the
 * working directory /www. Runs as root with `sh` by default.
 *
 * Every file has mtime 0 and root ownership, so the layer (and its diff id) is the same on
 * every run, whether imported into a daemon or written as a `docker save` archive.
 */

type EntryHeader = Partial<Header> & Pick<Header, 'name'>;

const BUSYBOX_CANDIDATES = ['/bin/busybox', '/usr/bin/busybox'];
const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** What `GET /` of `httpd -f -p 8080` in the image answers. */
export const BUSYBOX_INDEX_HTML = 'commissioner busybox test image\n';

/** The image configuration, the same for the imported and the saved image. */
export const BUSYBOX_IMAGE_CONFIG = {
  Env: [`PATH=${PATH}`],
  Cmd: ['sh'],
  WorkingDir: '/www',
};

/** Writes the image's root file system as an (uncompressed) tar archive. */
export async function busyboxRootfsTar(outPath: string): Promise<void> {
  await writeFile(outPath, await rootfsTar());
}

/**
 * Writes the image as a `docker save` archive (manifest.json, config, one layer.tar) tagged
 * with `repoTags`, without a daemon, for `POST /images/load`.
 */
export async function writeBusyboxDockerSave(outPath: string, repoTags: string[]): Promise<void> {
  const layer = await rootfsTar();
  const layerHex = sha256(layer);
  const created = new Date(0).toISOString();
  const config = Buffer.from(
    JSON.stringify({
      architecture: goArchitecture(),
      os: 'linux',
      created,
      config: BUSYBOX_IMAGE_CONFIG,
      rootfs: { type: 'layers', diff_ids: [`sha256:${layerHex}`] },
      history: [{ created, created_by: 'commissioner test fixture: busybox-static' }],
    }),
  );
  const configName = `${sha256(config)}.json`;
  const manifest = Buffer.from(
    JSON.stringify([{ Config: configName, RepoTags: repoTags, Layers: [`${layerHex}/layer.tar`] }]),
  );
  const tar = pack();
  const written = pipeline(tar, createWriteStream(outPath));
  const meta = { mtime: new Date(0), uid: 0, gid: 0 };
  tar.entry({ name: `${layerHex}/`, type: 'directory', mode: 0o755, ...meta });
  tar.entry({ name: `${layerHex}/layer.tar`, mode: 0o644, ...meta }, layer);
  tar.entry({ name: configName, mode: 0o644, ...meta }, config);
  tar.entry({ name: 'manifest.json', mode: 0o644, ...meta }, manifest);
  tar.finalize();
  await written;
}

let rootfs: Promise<Buffer> | undefined;

/** The root file system tar, built once per process (about 2 MB). */
export function rootfsTar(): Promise<Buffer> {
  if (!rootfs) {
    rootfs = buildRootfsTar();
    // A failure (busybox missing) is not remembered: the next call reports it afresh.
    rootfs.catch(() => {
      rootfs = undefined;
    });
  }
  return rootfs;
}

async function buildRootfsTar(): Promise<Buffer> {
  const busyboxPath = BUSYBOX_CANDIDATES.find((p) => existsSync(p));
  if (!busyboxPath) throw new Error(installHint('no busybox found'));
  const busybox = await readFile(busyboxPath);
  if (hasInterpreter(busybox)) {
    throw new Error(installHint(`${busyboxPath} is dynamically linked`));
  }
  // Where busybox itself would install each applet (bin/sh, usr/bin/wget, sbin/ifconfig…).
  const { stdout } = await run(busyboxPath, ['--list-full']);
  const applets = [...new Set(stdout.split('\n').map((l) => l.trim()))]
    .filter((p) => p.includes('/') && p !== 'bin/busybox' && !p.startsWith('/'))
    .sort();
  const dirs = new Set(['bin', 'dev', 'etc', 'proc', 'root', 'sys', 'tmp', 'var', 'www']);
  for (const applet of applets) {
    for (let d = posix.dirname(applet); d !== '.'; d = posix.dirname(d)) dirs.add(d);
  }
  const meta = { mtime: new Date(0), uid: 0, gid: 0, uname: 'root', gname: 'root' };
  const entries: [EntryHeader, Buffer?][] = [];
  for (const dir of [...dirs].sort()) {
    entries.push([{ name: `${dir}/`, type: 'directory', mode: dir === 'tmp' ? 0o1777 : 0o755 }]);
  }
  entries.push([{ name: 'bin/busybox', mode: 0o755 }, busybox]);
  for (const applet of applets) {
    const linkname = posix.relative(posix.dirname(applet), 'bin/busybox');
    entries.push([{ name: applet, type: 'symlink', linkname, mode: 0o777 }]);
  }
  const text = (name: string, content: string): [EntryHeader, Buffer] => [
    { name, mode: 0o644 },
    Buffer.from(content),
  ];
  entries.push(
    text('etc/passwd', 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n'),
    text('etc/group', 'root:x:0:\nnogroup:x:65534:\n'),
    text('www/index.html', BUSYBOX_INDEX_HTML),
  );
  const tar = pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    tar.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
    tar.on('end', () => resolve());
    tar.on('error', reject);
  });
  for (const [header, data] of entries) {
    if (data) tar.entry({ ...meta, ...header }, data);
    else tar.entry({ ...meta, ...header });
  }
  tar.finalize();
  await done;
  return Buffer.concat(chunks);
}

function installHint(problem: string): string {
  return `${problem}: the busybox test image needs a statically linked busybox (apt-get install busybox-static)`;
}

/** Whether an ELF file names a program interpreter (PT_INTERP), i.e. is dynamically linked. */
function hasInterpreter(elf: Buffer): boolean {
  if (elf.length < 64 || elf.readUInt32BE(0) !== 0x7f454c46) {
    throw new Error('busybox is not an ELF executable');
  }
  const is64 = elf[4] === 2;
  const le = elf[5] === 1;
  const u16 = (at: number): number => (le ? elf.readUInt16LE(at) : elf.readUInt16BE(at));
  const u32 = (at: number): number => (le ? elf.readUInt32LE(at) : elf.readUInt32BE(at));
  const u64 = (at: number): number =>
    Number(le ? elf.readBigUInt64LE(at) : elf.readBigUInt64BE(at));
  const phoff = is64 ? u64(0x20) : u32(0x1c);
  const phentsize = u16(is64 ? 0x36 : 0x2a);
  const phnum = u16(is64 ? 0x38 : 0x2c);
  const PT_INTERP = 3;
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (at + 4 > elf.length) break;
    if (u32(at) === PT_INTERP) return true;
  }
  return false;
}

/** The OCI architecture of this machine, which the host's busybox is built for. */
function goArchitecture(): string {
  const names: Partial<Record<NodeJS.Architecture, string>> = {
    x64: 'amd64',
    ia32: '386',
    arm64: 'arm64',
    arm: 'arm',
    ppc64: 'ppc64le',
    s390x: 's390x',
    riscv64: 'riscv64',
  };
  return names[process.arch] ?? process.arch;
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
