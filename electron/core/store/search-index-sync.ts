import type Database from 'better-sqlite3';
import { searchDocumentWrites } from './search-documents';
import { SearchIndex } from './search-index';
import { namedStatements } from './statements';

/** Past this share of removed documents, the index is loaded afresh rather than patched. */
const REBUILD_DEAD_SHARE = 0.25;

const SQL = namedStatements({
  // Changes another connection committed since (this connection's own are counted apart).
  dataVersion: 'PRAGMA data_version',
  // Ids are never reused (AUTOINCREMENT): an insert raises seq, a removal lowers count.
  fingerprint: `SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'search_documents'), 0) AS seq,
                       (SELECT count(*) FROM search_documents) AS count`,
  countUpTo: 'SELECT count(*) FROM search_documents WHERE id <= ?',
  idsUpTo: "SELECT group_concat(id, ',') FROM search_documents WHERE id <= ?",
  // A few values in all: a row at a time costs more to cross into JavaScript than to read.
  // Documents come in name order (the ranker's tie-break), terms in code point order.
  documentsAfter: `SELECT json_group_array(id) AS ids, json_group_array(name) AS names,
                          json_group_array(length(tokens) / 4) AS lengths,
                          unhex(group_concat(hex(tokens), '')) AS tokens
                     FROM (SELECT id, name, tokens FROM search_documents WHERE id > ? ORDER BY name, id)`,
  termsAfter: `SELECT json_group_array(id) AS ids, json_group_array(term) AS terms
                 FROM (SELECT id, term FROM search_terms WHERE id > ? ORDER BY term)`,
});

interface Synced {
  index: SearchIndex;
  changes: number;
  version: number;
  seq: number;
  count: number;
}

const synced = new WeakMap<Database.Database, Synced>();

/**
 * The search index of this database, brought up to date first: loaded whole on first use,
 * then patched with what was added and removed since (by this process or another), read in
 * one snapshot. Nothing changed: two counters compared, no read of the tables.
 */
export function searchIndexOf(db: Database.Database): SearchIndex {
  const sql = SQL(db);
  const state = {
    changes: searchDocumentWrites(db),
    version: sql.dataVersion.pluck().get() as number,
  };
  let entry = synced.get(db);
  if (entry && entry.changes === state.changes && entry.version === state.version)
    return entry.index;
  entry = db.transaction((previous: Synced | undefined): Synced => {
    const { seq, count } = sql.fingerprint.get() as { seq: number; count: number };
    let index = previous?.index;
    if (!index || seq !== previous?.seq || count !== previous.count) {
      if (index) patch(db, index);
      if (!index || index.deadShare > REBUILD_DEAD_SHARE) {
        index = new SearchIndex();
        patch(db, index);
      }
    }
    return { index, seq, count, ...state };
  })(entry);
  synced.set(db, entry);
  return entry.index;
}

/** Removes the documents the table no longer has, then adds the terms and documents it gained. */
function patch(db: Database.Database, index: SearchIndex): void {
  const sql = SQL(db);
  const upTo = index.maxId;
  if (index.size > 0 && (sql.countUpTo.pluck().get(upTo) as number) !== index.size) {
    const text = (sql.idsUpTo.pluck().get(upTo) as string | null) ?? '';
    const present = new Set(text === '' ? [] : text.split(',').map(Number));
    for (const id of index.liveIdsUpTo(upTo)) if (!present.has(id)) index.removeDocument(id);
  }
  const terms = sql.termsAfter.get(index.maxTermId) as { ids: string; terms: string };
  index.addTerms(JSON.parse(terms.ids) as number[], JSON.parse(terms.terms) as string[], true);
  const documents = sql.documentsAfter.get(upTo) as {
    ids: string;
    names: string;
    lengths: string;
    tokens: Buffer | null;
  };
  index.addDocuments(
    JSON.parse(documents.ids) as number[],
    JSON.parse(documents.names) as string[],
    JSON.parse(documents.lengths) as number[],
    documents.tokens ?? Buffer.alloc(0),
    true,
  );
}
