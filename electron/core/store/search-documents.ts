import type Database from 'better-sqlite3';
import { namedStatements } from './statements';

/**
 * catalog_search's columns as FTS5 numbers them (UNINDEXED ones count), with the bm25 weight
 * of each: the SQL ranking and the in-memory ranker both take their weights from here. The
 * weights are small integers, so a term's weighted frequency sums exactly in any order.
 */
export const SEARCH_WEIGHTS = [0, 0, 0, 0, 10, 5, 1, 3, 3] as const;

/** The text of an application's latest version, as catalog_search indexes it. */
export interface SearchEntry {
  appId: string;
  version: string;
  tagsJson: string;
  profilesJson: string;
  name: string;
  tagline: string;
  description: string;
  tags: string;
  organization: string;
}

/** Documents tokenized in one pass of the tokenizer table. */
const BATCH = 500;
/** Query words whose terms are remembered (the tokenizer never changes under a process). */
const REMEMBERED_WORDS = 512;

/**
 * A private (temp) FTS5 table with catalog_search's tokenizer: the terms of a document or a
 * query word come from FTS5 itself, so the ranker sees exactly the tokens MATCH sees (case
 * folding, diacritics, what separates words). Created if missing on every use: a rolled-back
 * transaction can take a temp table with it.
 */
const ENSURE_TOKENIZER = [
  `CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_tokenizer
     USING fts5 (name, tagline, description, tags, organization,
                 tokenize = 'unicode61 remove_diacritics 2', content = '')`,
  `CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_tokenizer_terms
     USING fts5vocab (temp, search_tokenizer, row)`,
  `CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_tokenizer_instances
     USING fts5vocab (temp, search_tokenizer, instance)`,
];

const SQL = namedStatements({
  indexed: 'SELECT id, version FROM search_documents WHERE app_id = ?',
  unindex: 'DELETE FROM catalog_search WHERE rowid = ?',
  forgetDocument: 'DELETE FROM search_documents WHERE id = ?',
  tokenize: `INSERT INTO temp.search_tokenizer (rowid, name, tagline, description, tags, organization)
             VALUES (?, ?, ?, ?, ?, ?)`,
  addTerms:
    'INSERT INTO search_terms (term) SELECT term FROM temp.search_tokenizer_terms WHERE true ON CONFLICT (term) DO NOTHING',
  // Each document's tokens, encoded in SQL so one value per document crosses into JavaScript.
  encoded: `SELECT i.doc AS k, unhex(group_concat(printf('%08x', t.id * 16 + CASE i.col
                     WHEN 'name' THEN 4 WHEN 'tagline' THEN 5 WHEN 'description' THEN 6
                     WHEN 'tags' THEN 7 ELSE 8 END), '' ORDER BY t.id)) AS tokens
              FROM temp.search_tokenizer_instances i JOIN search_terms t ON t.term = i.term
             GROUP BY i.doc`,
  queryTerms: 'SELECT doc, term FROM temp.search_tokenizer_instances ORDER BY doc, offset',
  // Empties the index itself: a DELETE would leave tombstones that every later read wades through.
  clearTokenizer: "INSERT INTO temp.search_tokenizer (search_tokenizer) VALUES ('delete-all')",
  insertDocument:
    'INSERT INTO search_documents (app_id, version, name, tokens) VALUES (?, ?, ?, ?)',
  index: `INSERT INTO catalog_search (rowid, app_id, version, tags_json, profiles_json, name, tagline, description, tags, organization)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
});

const ensured = new WeakMap<Database.Database, Database.Statement[]>();
const writes = new WeakMap<Database.Database, number>();
const remembered = new Map<string, string[]>();

/**
 * How many times this connection changed the search documents: with SQLite's data_version
 * (changes by other connections), how the search index knows it may be stale. (SQLite's own
 * change counter would also count the tokenizer's scratch rows of every search.)
 */
export function searchDocumentWrites(db: Database.Database): number {
  return writes.get(db) ?? 0;
}

function countWrite(db: Database.Database): void {
  writes.set(db, searchDocumentWrites(db) + 1);
}

function ensureTokenizer(db: Database.Database): void {
  let statements = ensured.get(db);
  if (!statements) {
    for (const sql of ENSURE_TOKENIZER) db.exec(sql);
    statements = ENSURE_TOKENIZER.map((sql) => db.prepare(sql));
    ensured.set(db, statements);
  }
  for (const statement of statements) statement.run();
}

/** The version an application is indexed at; undefined when it is not indexed. */
export function indexedVersion(db: Database.Database, appId: string): string | undefined {
  return (SQL(db).indexed.get(appId) as { version: string } | undefined)?.version;
}

/** Removes an application from catalog_search and its search document (if it has one). */
export function unindexApplication(db: Database.Database, appId: string): void {
  const sql = SQL(db);
  const indexed = sql.indexed.get(appId) as { id: number } | undefined;
  if (!indexed) return;
  countWrite(db);
  sql.unindex.run(indexed.id);
  sql.forgetDocument.run(indexed.id);
}

/**
 * Indexes applications' latest versions (not indexed yet): each gets its search document,
 * then its catalog_search row under the same id. Tokenized in batches: the tokenizer's
 * vocabulary is read once per batch, not once per document.
 */
export function indexApplications(db: Database.Database, entries: readonly SearchEntry[]): void {
  if (entries.length === 0) return;
  ensureTokenizer(db);
  countWrite(db);
  const sql = SQL(db);
  for (let start = 0; start < entries.length; start += BATCH) {
    const batch = entries.slice(start, start + BATCH);
    let encoded: Map<number, Buffer>;
    try {
      batch.forEach((e, k) =>
        sql.tokenize.run(k + 1, e.name, e.tagline, e.description, e.tags, e.organization),
      );
      sql.addTerms.run();
      encoded = new Map(
        (sql.encoded.all() as { k: number; tokens: Buffer }[]).map((r) => [r.k, r.tokens]),
      );
    } finally {
      sql.clearTokenizer.run();
    }
    batch.forEach((e, k) => {
      const tokens = encoded.get(k + 1) ?? Buffer.alloc(0);
      const id = sql.insertDocument.run(e.appId, e.version, e.name, tokens).lastInsertRowid;
      sql.index.run(
        id,
        e.appId,
        e.version,
        e.tagsJson,
        e.profilesJson,
        e.name,
        e.tagline,
        e.description,
        e.tags,
        e.organization,
      );
    });
  }
}

/** The terms FTS5 makes of each query word, in order (one per word, nearly always). */
export function queryTerms(db: Database.Database, words: readonly string[]): string[][] {
  const known = new Map<string, string[]>();
  for (const w of words) {
    const terms = remembered.get(w);
    if (terms) known.set(w, terms);
  }
  const missing = [...new Set(words.filter((w) => !known.has(w)))];
  if (missing.length > 0) {
    ensureTokenizer(db);
    const sql = SQL(db);
    const found = new Map<number, string[]>();
    try {
      missing.forEach((word, k) => sql.tokenize.run(k + 1, word, '', '', '', ''));
      for (const { doc, term } of sql.queryTerms.all() as { doc: number; term: string }[]) {
        let terms = found.get(doc);
        if (!terms) found.set(doc, (terms = []));
        terms.push(term);
      }
    } finally {
      sql.clearTokenizer.run();
    }
    missing.forEach((word, k) => {
      const terms = found.get(k + 1) ?? [];
      known.set(word, terms);
      if (remembered.size >= REMEMBERED_WORDS)
        remembered.delete(remembered.keys().next().value as string);
      remembered.set(word, terms);
    });
  }
  return words.map((w) => known.get(w) as string[]);
}
