-- Each application's row in catalog_search, with the terms FTS5's own tokenizer made of it.
-- The writer re-indexes an application through its row here (before, it deleted
-- `WHERE app_id = ?` from catalog_search, where app_id is UNINDEXED: a scan of the whole table
-- per imported package, so imports slowed as the store grew). The search ranker loads the
-- terms into memory once and ranks a keystroke's matches there, as bm25 would.
CREATE TABLE search_terms (
  id INTEGER PRIMARY KEY,
  term TEXT NOT NULL UNIQUE
) STRICT;

CREATE TABLE search_documents (
  id INTEGER PRIMARY KEY AUTOINCREMENT, -- the catalog_search rowid; never reused
  app_id TEXT NOT NULL UNIQUE,
  version TEXT NOT NULL,                -- the version indexed: the application's latest
  name TEXT NOT NULL,                   -- catalog_search.name: equal scores are ordered by it
  tokens BLOB NOT NULL                  -- 4 bytes a token, big-endian, by term: term id × 16 + column
) STRICT;

-- The rows already indexed, from catalog_search's own index (the tokens FTS5 stored).
CREATE VIRTUAL TABLE temp.migration_search_vocabulary USING fts5vocab(main, catalog_search, row);
CREATE VIRTUAL TABLE temp.migration_search_instances USING fts5vocab(main, catalog_search, instance);
INSERT INTO search_terms (term) SELECT term FROM temp.migration_search_vocabulary ORDER BY term;
INSERT INTO search_documents (id, app_id, version, name, tokens)
  SELECT s.rowid, s.app_id, s.version, s.name, coalesce(t.tokens, x'')
    FROM catalog_search s
    LEFT JOIN (
      SELECT i.doc,
             unhex(group_concat(printf('%08x', st.id * 16 + CASE i.col
                      WHEN 'name' THEN 4 WHEN 'tagline' THEN 5 WHEN 'description' THEN 6
                      WHEN 'tags' THEN 7 ELSE 8 END), '' ORDER BY st.id)) AS tokens
        FROM temp.migration_search_instances i JOIN search_terms st ON st.term = i.term
       GROUP BY i.doc
    ) t ON t.doc = s.rowid;
DROP TABLE temp.migration_search_instances;
DROP TABLE temp.migration_search_vocabulary;
