import { SEARCH_WEIGHTS } from './search-documents';

/** bm25's constants, as FTS5's bm25() has them. */
const K1 = 1.2;
const B = 0.75;

/** One page of ranked matches: their search document ids, best first, and how many match. */
export interface RankedPage {
  total: number;
  ids: number[];
}

/**
 * The catalog's search documents in memory, ranked as FTS5 ranks them: every query term is a
 * prefix, a document must match them all, and the order is bm25 with catalog_search's column
 * weights (same IDF, same average length, same arithmetic), then the name in SQLite's BINARY
 * order. A keystroke's thousands of matches are scored here in a tight loop over arrays; in
 * SQL, bm25 reads each match's row sizes and columns (about 3 µs a match), which at 50,000
 * packages was several times a keystroke's budget.
 *
 * The terms come from FTS5's own tokenizer (search_documents.tokens), so a document matches
 * here exactly when it matches `MATCH '"term"* AND …'` there.
 */
export class SearchIndex {
  /** Per slot: the search document id, its name, its length in tokens, whether it is live. */
  private readonly ids: number[] = [];
  private readonly names: string[] = [];
  private readonly lengths: number[] = [];
  private readonly live: number[] = [];
  /** Per slot: its place among all slots by (name in UTF-8 byte order, id). */
  private nameRank: number[] = [];
  /** Slots by (name, id) up to `ranked`; slots added since come after, in any order. */
  private byName: number[] = [];
  private ranked = 0;
  private readonly slotOf = new Map<number, number>();
  private liveDocuments = 0;
  private liveTokens = 0;
  private lastId = 0;

  /** Term texts in code point order (a prefix's terms are then one run), with their ids. */
  private sortedTerms: string[] = [];
  private sortedTermIds: number[] = [];
  private lastTermId = 0;
  /** By term id: slot, weighted frequency, slot, weighted frequency, … */
  private readonly postings: (number[] | undefined)[] = [];

  // Per-query scratch, by slot, reused across queries.
  private score = new Float64Array(0);
  private frequency = new Float64Array(0);
  private matched = new Uint8Array(0);
  private stamp = new Uint32Array(0);
  private stampNow = 0;
  private first = new Int32Array(0);
  private touched = new Int32Array(0);

  get maxId(): number {
    return this.lastId;
  }

  get maxTermId(): number {
    return this.lastTermId;
  }

  get size(): number {
    return this.liveDocuments;
  }

  /** How much of the slots removed documents hold (rebuilding reclaims them). */
  get deadShare(): number {
    return this.ids.length === 0 ? 0 : 1 - this.liveDocuments / this.ids.length;
  }

  /** Live document ids up to `maxId` (what the store is compared against). */
  liveIdsUpTo(maxId: number): number[] {
    return this.ids.filter((id, slot) => id <= maxId && this.live[slot] === 1);
  }

  /** Adds terms (ids above `maxTermId`); `sorted` when they come in code point order. */
  addTerms(ids: readonly number[], terms: readonly string[], sorted = false): void {
    if (ids.length === 0) return;
    let order = ids.map((_, i) => i);
    if (!sorted) order = order.sort((a, b) => compareUtf8(terms[a] as string, terms[b] as string));
    if (this.sortedTerms.length === 0) {
      this.sortedTerms = order.map((i) => terms[i] as string);
      this.sortedTermIds = order.map((i) => ids[i] as number);
    } else {
      const texts: string[] = [];
      const merged: number[] = [];
      let i = 0;
      let j = 0;
      while (i < this.sortedTerms.length || j < order.length) {
        const fresh = order[j];
        if (
          fresh !== undefined &&
          (i >= this.sortedTerms.length ||
            compareUtf8(terms[fresh] as string, this.sortedTerms[i] as string) < 0)
        ) {
          texts.push(terms[fresh] as string);
          merged.push(ids[fresh] as number);
          j++;
        } else {
          texts.push(this.sortedTerms[i] as string);
          merged.push(this.sortedTermIds[i] as number);
          i++;
        }
      }
      this.sortedTerms = texts;
      this.sortedTermIds = merged;
    }
    for (const id of ids) if (id > this.lastTermId) this.lastTermId = id;
  }

  /**
   * Adds documents (ids above `maxId`): their ids, names, lengths in tokens, and all their
   * tokens one after the other as search_documents stores them (term id × 16 + column,
   * big-endian, each document's in term order). `byName` when they come ordered by (name, id).
   */
  addDocuments(
    ids: readonly number[],
    names: readonly string[],
    lengths: readonly number[],
    tokens: Uint8Array,
    byName = false,
  ): void {
    const values = bigEndianWords(tokens);
    const postings = this.postings;
    let at = 0;
    // Loaded in name order into an empty index: the load order is the name order.
    const inNameOrder = byName && this.ids.length === 0;
    for (let k = 0; k < ids.length; k++) {
      const id = ids[k] as number;
      const count = lengths[k] as number;
      const end = at + count;
      const slot = this.ids.length;
      this.ids.push(id);
      this.names.push(names[k] as string);
      this.lengths.push(count);
      this.live.push(1);
      this.slotOf.set(id, slot);
      this.byName.push(slot);
      this.nameRank.push(slot);
      this.liveDocuments++;
      this.liveTokens += count;
      if (id > this.lastId) this.lastId = id;
      // In term order, a term's tokens are adjacent: one posting per term, its weights summed.
      for (let i = at + 1; i < end; i++) {
        if ((values[i] as number) >>> 4 < (values[i - 1] as number) >>> 4) {
          values.subarray(at, end).sort();
          break;
        }
      }
      let i = at;
      while (i < end) {
        const term = (values[i] as number) >>> 4;
        let frequency = 0;
        for (; i < end && (values[i] as number) >>> 4 === term; i++)
          frequency += SEARCH_WEIGHTS[(values[i] as number) & 15] ?? 1;
        const list = postings[term];
        if (list) list.push(slot, frequency);
        else postings[term] = [slot, frequency];
      }
      at = end;
    }
    if (inNameOrder) this.ranked = this.ids.length;
  }

  removeDocument(id: number): void {
    const slot = this.slotOf.get(id);
    if (slot === undefined || this.live[slot] === 0) return;
    this.live[slot] = 0;
    this.slotOf.delete(id);
    this.liveDocuments--;
    this.liveTokens -= this.lengths[slot] as number;
  }

  /**
   * The documents holding, for every query term, a term that starts with it; best first by
   * bm25 (as `bm25(catalog_search, …SEARCH_WEIGHTS)`), then by name; `limit` < 0 for all.
   */
  rank(queryTerms: readonly string[], limit: number, offset = 0): RankedPage {
    if (queryTerms.length === 0 || this.liveDocuments === 0) return { total: 0, ids: [] };
    this.prepareScratch();
    this.rankNames();
    const { score, frequency, matched, lengths } = this;
    const documents = this.liveDocuments;
    const averageLength = this.liveTokens / documents;
    let firstCount = 0;
    for (let phrase = 0; phrase < queryTerms.length; phrase++) {
      const touched = phrase === 0 ? this.first : this.touched;
      const count = this.collect(queryTerms[phrase] as string, touched);
      if (phrase === 0) firstCount = count;
      // IDF exactly as FTS5's bm25 computes it, from the documents this term alone matches.
      let idf = Math.log((documents - count + 0.5) / (count + 0.5));
      if (idf <= 0.0) idf = 1e-6;
      for (let i = 0; i < count; i++) {
        const slot = touched[i] as number;
        if (matched[slot] !== phrase) continue;
        matched[slot] = phrase + 1;
        const f = frequency[slot] as number;
        score[slot] =
          (score[slot] as number) +
          idf *
            ((f * (K1 + 1.0)) /
              (f + K1 * (1 - B + (B * (lengths[slot] as number)) / averageLength)));
      }
    }
    // The documents that matched every term; bm25() is the negated score, ascending.
    const candidates = this.touched;
    let total = 0;
    for (let i = 0; i < firstCount; i++) {
      const slot = this.first[i] as number;
      if (matched[slot] !== queryTerms.length) continue;
      score[slot] = -1.0 * (score[slot] as number);
      candidates[total++] = slot;
    }
    const order = this.best(
      candidates.subarray(0, total),
      limit < 0 ? total : Math.min(total, offset + limit),
    );
    for (let i = 0; i < firstCount; i++) {
      const slot = this.first[i] as number;
      matched[slot] = 0;
      score[slot] = 0;
    }
    return { total, ids: order.slice(offset).map((slot) => this.ids[slot] as number) };
  }

  /**
   * Writes into `out` the live slots holding a term with this prefix, each once, with their
   * weighted frequency in `frequency`; returns how many.
   */
  private collect(prefix: string, out: Int32Array): number {
    const { stamp, frequency, live, sortedTerms, sortedTermIds } = this;
    const now = this.nextStamp();
    let count = 0;
    for (
      let i = lowerBound(sortedTerms, prefix);
      i < sortedTerms.length && (sortedTerms[i] as string).startsWith(prefix);
      i++
    ) {
      const list = this.postings[sortedTermIds[i] as number];
      if (!list) continue;
      for (let k = 0; k < list.length; k += 2) {
        const slot = list[k] as number;
        if (live[slot] === 0) continue;
        if (stamp[slot] !== now) {
          stamp[slot] = now;
          frequency[slot] = 0;
          out[count++] = slot;
        }
        frequency[slot] = (frequency[slot] as number) + (list[k + 1] as number);
      }
    }
    return count;
  }

  /**
   * The first `count` candidates by (negated score, name in UTF-8 byte order, id). Equal
   * scores are common (similar packages), so only numbers are compared: the score, then the
   * slot's precomputed place by name. A page takes one pass with a small heap of the best so
   * far; all matches (the CLI's list) a sort.
   */
  private best(candidates: Int32Array, count: number): number[] {
    const key = this.score;
    const place = this.nameRank;
    const before = (a: number, b: number) =>
      (key[a] as number) - (key[b] as number) || (place[a] as number) - (place[b] as number);
    if (count >= candidates.length) return Array.from(candidates).sort(before);
    if (count <= 0) return [];
    // A max-heap of the best `count` so far: its root is the worst of them.
    const heap: number[] = [];
    const siftDown = (from: number) => {
      let i = from;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= heap.length) return;
        const right = left + 1;
        const larger =
          right < heap.length && before(heap[left] as number, heap[right] as number) < 0
            ? right
            : left;
        if (before(heap[i] as number, heap[larger] as number) >= 0) return;
        const swapped = heap[i] as number;
        heap[i] = heap[larger] as number;
        heap[larger] = swapped;
        i = larger;
      }
    };
    for (const slot of candidates) {
      if (heap.length < count) {
        heap.push(slot);
        for (let i = heap.length - 1; i > 0;) {
          const up = (i - 1) >> 1;
          if (before(heap[up] as number, heap[i] as number) >= 0) break;
          const swapped = heap[i] as number;
          heap[i] = heap[up] as number;
          heap[up] = swapped;
          i = up;
        }
      } else if (before(slot, heap[0] as number) < 0) {
        heap[0] = slot;
        siftDown(0);
      }
    }
    return heap.sort(before);
  }

  /** Places the slots added since the last query among the others by name (a merge). */
  private rankNames(): void {
    // Compared with byName, not with all slots: removed slots leave byName at the next merge,
    // and would otherwise send every later query through a merge of the whole index.
    if (this.ranked === this.byName.length) return;
    const names = this.names;
    const ids = this.ids;
    const byName = (a: number, b: number) =>
      compareUtf8(names[a] as string, names[b] as string) ||
      (ids[a] as number) - (ids[b] as number);
    const added = this.byName.slice(this.ranked).sort(byName);
    const merged: number[] = [];
    let i = 0;
    let j = 0;
    while (i < this.ranked || j < added.length) {
      const old = this.byName[i] as number;
      const fresh = added[j] as number;
      if (j >= added.length || (i < this.ranked && byName(old, fresh) <= 0)) {
        if (this.live[old]) merged.push(old);
        i++;
      } else {
        merged.push(fresh);
        j++;
      }
    }
    this.byName = merged;
    this.ranked = merged.length;
    merged.forEach((slot, place) => (this.nameRank[slot] = place));
  }

  private prepareScratch(): void {
    const n = this.ids.length;
    if (this.score.length >= n) return;
    const size = Math.max(n, this.score.length * 2, 1024);
    const grow = <T extends Float64Array | Uint8Array | Uint32Array>(
      old: T,
      make: (n: number) => T,
    ) => {
      const next = make(size);
      next.set(old);
      return next;
    };
    this.score = grow(this.score, (k) => new Float64Array(k));
    this.first = new Int32Array(size);
    this.touched = new Int32Array(size);
    this.frequency = grow(this.frequency, (k) => new Float64Array(k));
    this.matched = grow(this.matched, (k) => new Uint8Array(k));
    this.stamp = grow(this.stamp, (k) => new Uint32Array(k));
  }

  private nextStamp(): number {
    if (this.stampNow >= 0xfffffffe) {
      this.stamp.fill(0);
      this.stampNow = 0;
    }
    return ++this.stampNow;
  }
}

/** The first index whose text is not below `text` (code point order). */
function lowerBound(sorted: readonly string[], text: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareUtf8(sorted[mid] as string, text) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

const WIDE = /[\ud800-\uffff]/;

/** Big-endian 32-bit words as numbers (a copy: the words are put in host order in place). */
function bigEndianWords(bytes: Uint8Array): Uint32Array {
  const words = new Uint8Array(bytes.length - (bytes.length % 4));
  words.set(bytes.subarray(0, words.length));
  if (new Uint8Array(new Uint32Array([1]).buffer)[0] === 1) Buffer.from(words.buffer).swap32();
  return new Uint32Array(words.buffer);
}

/**
 * Compares as SQLite's BINARY collation compares UTF-8: code point order. UTF-16 code units
 * agree with it except between a surrogate (a code point above U+FFFF) and U+E000–U+FFFF.
 */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  // Without surrogates or U+E000–U+FFFF, the engine's own comparison is the same order.
  if (!WIDE.test(a) && !WIDE.test(b)) return a < b ? -1 : 1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    if (xSurrogate !== ySurrogate) return xSurrogate ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
