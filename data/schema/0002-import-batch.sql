-- Schema version 2: remember every import (file, time, counts) and which import brought each family.
CREATE TABLE import_batch (
  id          INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind IN ('households', 'areas', 'resources')),
  source      TEXT NOT NULL,
  started_at  TEXT NOT NULL DEFAULT (strftime ('%Y-%m-%dT%H:%M:%SZ', 'now')),
  rows_read   INTEGER NOT NULL DEFAULT 0,
  imported    INTEGER NOT NULL DEFAULT 0,
  rejected    INTEGER NOT NULL DEFAULT 0
);
ALTER TABLE family ADD COLUMN import_batch INTEGER REFERENCES import_batch (id);
ALTER TABLE person ADD COLUMN import_batch INTEGER REFERENCES import_batch (id);
