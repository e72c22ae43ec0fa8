-- How far the OCI layout's index.json reflects the refs table. The file lists the refs in
-- rowid order, up to rowid `through` (named `through_ref`: a database whose rowids were
-- renumbered, by VACUUM or a copy, shows as another name there), in `bytes` bytes. An import
-- appends the refs it added (before, every import rewrote the whole file from the whole
-- table, and every start read both to compare them: about a second at 50,000 packages); a
-- removed or changed ref marks it `stale`, to be written whole again.
CREATE TABLE layout_index (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  through INTEGER NOT NULL,
  through_ref TEXT,
  bytes INTEGER NOT NULL,
  stale INTEGER NOT NULL CHECK (stale IN (0, 1))
) STRICT;
INSERT INTO layout_index (id, through, through_ref, bytes, stale) VALUES (1, 0, NULL, 0, 1);

CREATE TRIGGER refs_deleted_layout_index AFTER DELETE ON refs
BEGIN UPDATE layout_index SET stale = 1 WHERE id = 1; END;
CREATE TRIGGER refs_updated_layout_index AFTER UPDATE ON refs
BEGIN UPDATE layout_index SET stale = 1 WHERE id = 1; END;
