import { canonicalJson } from './canonical-json';
import type { ServiceModel } from './compose-model';

export interface FingerprintExtras {
  /** The image id (sha256:…) the container will run: a new build under the same tag recreates. */
  imageId: string;
  /** Content hashes of the archive files and configs the service mounts, by path or config name. */
  files: Record<string, string>;
  /** Real names of the service's networks. */
  networks: string[];
  /** Real names of the volumes it mounts. */
  volumes: string[];
}

/**
 * The canonical text whose sha256 goes into `com.docker.compose.config-hash`. It holds
 * everything that needs a new container when it changes, and nothing else: like docker
 * compose, the dependencies (which decide order, not the container) and the pull policy are
 * left out, so adding a depends_on never recreates a running service.
 */
export function serviceFingerprint(service: ServiceModel, extras: FingerprintExtras): string {
  const { dependsOn: _dependsOn, pullPolicy: _pullPolicy, ...container } = service;
  return canonicalJson({
    service: container,
    imageId: extras.imageId,
    files: extras.files,
    networks: extras.networks,
    volumes: extras.volumes,
  });
}
