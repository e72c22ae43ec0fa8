import { finding, type Finding, type PathSegment } from './diagnostic';
import type { RuleId } from './rules';

/** Collects findings of one validation run; stages add to it, the orchestrator places them. */
export class Findings {
  readonly list: Finding[] = [];

  add(
    rule: RuleId,
    path: readonly PathSegment[],
    message: string,
    options: { atKey?: boolean } = {},
  ): void {
    const f = finding(rule, path, message);
    if (options.atKey) f.atKey = true;
    this.list.push(f);
  }

  push(...findings: Finding[]): void {
    this.list.push(...findings);
  }
}
