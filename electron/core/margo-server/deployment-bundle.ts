import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';

/**
 * The bundle of a state manifest: a tar.gz whose root holds exactly the referenced
 * ApplicationDeployment YAMLs (`<deploymentId>.yaml`), byte for byte. Deterministic (sorted,
 * fixed times and owners), so the same deployments always give the same digest.
 */
export async function deploymentBundle(
  deployments: readonly { deploymentId: string; yaml: Buffer }[],
): Promise<Buffer> {
  const archive = pack();
  const chunks: Buffer[] = [];
  archive.on('data', (c: unknown) => {
    chunks.push(c as Buffer);
  });
  const ended = new Promise<void>((resolve, reject) => {
    archive.on('end', () => resolve());
    archive.on('error', reject);
  });
  const sorted = [...deployments].sort((a, b) => (a.deploymentId < b.deploymentId ? -1 : 1));
  for (const d of sorted) {
    archive.entry(
      {
        name: `${d.deploymentId}.yaml`,
        size: d.yaml.length,
        mode: 0o644,
        mtime: new Date(0),
        uid: 0,
        gid: 0,
        uname: '',
        gname: '',
      },
      d.yaml,
    );
  }
  archive.finalize();
  await ended;
  return gzipSync(Buffer.concat(chunks), { level: 9 });
}
