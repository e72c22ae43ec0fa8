import { GENESIS_HASH, hashedContent, type AuditEntry } from '../../../shared/audit/audit-entry';
import { sha256Hex } from './audit-hash';

/** One link as read from the store or an export: its own fields, and the entry when it parses. */
export interface ChainLink {
  /** The position the trail gives it (seq column, or the line's seq). */
  seq: number;
  prev: string;
  hash: string;
  /** Undefined when the row no longer parses as an entry: altered. */
  entry: AuditEntry | undefined;
}

export type ChainVerdict =
  | { intact: true; entries: number; head: string }
  | {
      intact: false;
      entries: number;
      /** The first entry found altered, removed or reordered. */
      seq: number;
      problem: 'altered' | 'removed' | 'reordered';
      message: string;
    };

/**
 * Walks the trail in order and names the first break: an entry whose content no longer gives
 * its hash (altered); one whose `prev` is not the hash of the entry before it — reordered
 * when that hash belongs to another entry of the trail, else the entry before it was removed
 * (a gap in seq) or rewritten with a fresh hash (altered). Removing the newest entries leaves
 * a shorter valid chain: compare the head with one recorded elsewhere (an export, a report).
 */
export function verifyChain(links: readonly ChainLink[]): ChainVerdict {
  const hashes = new Set(links.map((l) => l.hash));
  let prevHash = GENESIS_HASH;
  let prevSeq = 0;
  for (const link of links) {
    if (link.prev !== prevHash) {
      if (hashes.has(link.prev) && link.prev !== link.hash) {
        return broken(
          links,
          link.seq,
          'reordered',
          `entry ${link.seq} is out of its place: entries were reordered`,
        );
      }
      if (link.seq > prevSeq + 1) {
        const first = prevSeq + 1;
        const missing =
          link.seq - 1 === first ? `entry ${first} was` : `entries ${first}–${link.seq - 1} were`;
        return broken(
          links,
          first,
          'removed',
          `${missing} removed (entry ${link.seq} follows entry ${prevSeq})`,
        );
      }
      if (prevSeq === 0) {
        return broken(
          links,
          link.seq,
          'removed',
          `entry ${link.seq} does not start the trail: earlier entries were removed`,
        );
      }
      return broken(
        links,
        prevSeq,
        'altered',
        `entry ${prevSeq} was altered (entry ${link.seq} no longer follows it)`,
      );
    }
    if (
      !link.entry ||
      link.entry.seq !== link.seq ||
      sha256Hex(hashedContent(link.entry)) !== link.hash
    ) {
      return broken(
        links,
        link.seq,
        'altered',
        `entry ${link.seq} was altered: its content does not give its hash`,
      );
    }
    prevHash = link.hash;
    prevSeq = link.seq;
  }
  return { intact: true, entries: links.length, head: prevHash };
}

function broken(
  links: readonly ChainLink[],
  seq: number,
  problem: 'altered' | 'removed' | 'reordered',
  message: string,
): ChainVerdict {
  return { intact: false, entries: links.length, seq, problem, message };
}
