-- Schema version 8: the uniqueness of NIKs and of a person's categories becomes named unique
-- indexes (person_nik, membership_key) instead of UNIQUE constraints, so a large import can drop
-- them and build them again by one sort (issue 2, docs/import.md); constraints' automatic indexes
-- cannot be dropped. Three membership indexes go: membership_person is redundant
-- (membership_key starts with person_id); membership_category and membership_status index
-- columns with 26 and 9 values, where most conditions (category 24 alone is over half of the
-- rows; every imported row is 'entri') match too many rows for an index to beat a scan of the
-- table: the person table's filters (geo-person-query.c) test them inside OR conditions that
-- no index answers, and a bulk status change (geo-workflow.c) touches most rows of its status.
-- Each cost a sort of the whole table at every large import.
--
-- SQLite cannot drop a constraint, so person and membership are rebuilt by the procedure of
-- https://www.sqlite.org/lang_altertable.html#otheralter: new table, copy, drop, rename, then
-- the indexes and triggers again. The migration runs with foreign keys off (so that dropping a
-- table deletes nothing in the tables that refer to it) and PRAGMA foreign_key_check must pass
-- before it commits (geo-store.c). legacy_alter_table keeps the rename from rewriting the
-- triggers of other tables that name person or membership.
PRAGMA legacy_alter_table = ON;

CREATE TABLE person_v8 (
  id           INTEGER PRIMARY KEY,
  family_id    INTEGER NOT NULL REFERENCES family (id) ON DELETE CASCADE,
  nik          TEXT CHECK (nik IS NULL OR length (nik) = 16),
  name         TEXT,
  sex          TEXT CHECK (sex IS NULL OR sex IN ('L', 'P')),
  birth_date   TEXT,
  relation     TEXT,
  created_at   TEXT NOT NULL DEFAULT (strftime ('%Y-%m-%dT%H:%M:%SZ', 'now')),
  updated_at   TEXT,
  import_batch INTEGER REFERENCES import_batch (id)
);
INSERT INTO person_v8 (id, family_id, nik, name, sex, birth_date, relation, created_at,
                       updated_at, import_batch)
  SELECT id, family_id, nik, name, sex, birth_date, relation, created_at, updated_at,
         import_batch FROM person ORDER BY id;
DROP TABLE person;
ALTER TABLE person_v8 RENAME TO person;
CREATE UNIQUE INDEX person_nik ON person (nik);
CREATE INDEX person_family ON person (family_id);
-- The name order of the persons table (0006) as an index on lower (name): the same ASCII
-- case-insensitive order as COLLATE NOCASE, and its keys compare with memcmp, so building it
-- after an import is about a quarter faster.
CREATE INDEX person_name ON person (lower (name));

CREATE TABLE membership_v8 (
  id         INTEGER PRIMARY KEY,
  person_id  INTEGER NOT NULL REFERENCES person (id) ON DELETE CASCADE,
  code_list  TEXT NOT NULL DEFAULT 'permensos-8-2012',
  category   INTEGER NOT NULL,
  status     TEXT NOT NULL DEFAULT 'entri',
  since      TEXT NOT NULL DEFAULT (date ('now')),
  until      TEXT,
  reason     TEXT,
  decree     TEXT,
  FOREIGN KEY (code_list, category) REFERENCES pmks_category (code_list, code)
);
INSERT INTO membership_v8 (id, person_id, code_list, category, status, since, until, reason,
                           decree)
  SELECT id, person_id, code_list, category, status, since, until, reason, decree
  FROM membership ORDER BY id;
DROP TABLE membership;
ALTER TABLE membership_v8 RENAME TO membership;
CREATE UNIQUE INDEX membership_key ON membership (person_id, code_list, category);

-- The triggers of both tables, unchanged from schema version 7, in their order of creation.
CREATE TRIGGER membership_status_valid BEFORE INSERT ON membership
WHEN NEW.status NOT IN ('usulan', 'musdes', 'kunjungan', 'entri', 'verifikasi', 'disetujui',
                        'padan', 'perbaikan', 'ditutup')
BEGIN
  SELECT RAISE (ABORT, 'membership: unknown verivali status');
END;

CREATE TRIGGER membership_status_valid_update BEFORE UPDATE OF status ON membership
WHEN NEW.status NOT IN ('usulan', 'musdes', 'kunjungan', 'entri', 'verifikasi', 'disetujui',
                        'padan', 'perbaikan', 'ditutup')
BEGIN
  SELECT RAISE (ABORT, 'membership: unknown verivali status');
END;

CREATE TRIGGER person_scope_insert BEFORE INSERT ON person WHEN NEW.import_batch IS NULL
BEGIN
  SELECT jangkau_scope_check ((SELECT desa_code FROM family WHERE id = NEW.family_id));
END;

CREATE TRIGGER person_scope_update BEFORE UPDATE ON person
BEGIN
  SELECT jangkau_scope_check ((SELECT desa_code FROM family WHERE id = OLD.family_id)),
         jangkau_scope_check ((SELECT desa_code FROM family WHERE id = NEW.family_id));
END;

CREATE TRIGGER person_scope_delete BEFORE DELETE ON person
BEGIN
  SELECT jangkau_scope_check ((SELECT desa_code FROM family WHERE id = OLD.family_id));
END;

CREATE TRIGGER membership_scope_update BEFORE UPDATE ON membership
BEGIN
  SELECT jangkau_scope_check ((SELECT f.desa_code FROM person AS p JOIN family AS f
                               ON f.id = p.family_id WHERE p.id = OLD.person_id));
END;

CREATE TRIGGER membership_scope_delete BEFORE DELETE ON membership
BEGIN
  SELECT jangkau_scope_check ((SELECT f.desa_code FROM person AS p JOIN family AS f
                               ON f.id = p.family_id WHERE p.id = OLD.person_id));
END;

CREATE TRIGGER person_audit_insert AFTER INSERT ON person WHEN NEW.import_batch IS NULL
BEGIN
  INSERT INTO audit_append VALUES ('person', NEW.id, 'insert', NULL, NULL,
    json_object ('family_id', NEW.family_id, 'nik', NEW.nik, 'name', NEW.name, 'sex', NEW.sex,
                 'birth_date', NEW.birth_date, 'relation', NEW.relation));
END;

CREATE TRIGGER person_audit_update AFTER UPDATE ON person
WHEN NEW.import_batch IS OLD.import_batch
BEGIN
  INSERT INTO audit_append SELECT 'person', NEW.id, 'update', 'family_id', OLD.family_id,
    NEW.family_id WHERE OLD.family_id IS NOT NEW.family_id;
  INSERT INTO audit_append SELECT 'person', NEW.id, 'update', 'nik', OLD.nik, NEW.nik
    WHERE OLD.nik IS NOT NEW.nik;
  INSERT INTO audit_append SELECT 'person', NEW.id, 'update', 'name', OLD.name, NEW.name
    WHERE OLD.name IS NOT NEW.name;
  INSERT INTO audit_append SELECT 'person', NEW.id, 'update', 'sex', OLD.sex, NEW.sex
    WHERE OLD.sex IS NOT NEW.sex;
  INSERT INTO audit_append SELECT 'person', NEW.id, 'update', 'birth_date', OLD.birth_date,
    NEW.birth_date WHERE OLD.birth_date IS NOT NEW.birth_date;
  INSERT INTO audit_append SELECT 'person', NEW.id, 'update', 'relation', OLD.relation,
    NEW.relation WHERE OLD.relation IS NOT NEW.relation;
END;

CREATE TRIGGER person_audit_delete AFTER DELETE ON person
BEGIN
  INSERT INTO audit_append VALUES ('person', OLD.id, 'delete', NULL,
    json_object ('family_id', OLD.family_id, 'nik', OLD.nik, 'name', OLD.name, 'sex', OLD.sex,
                 'birth_date', OLD.birth_date, 'relation', OLD.relation), NULL);
END;

CREATE TRIGGER membership_audit_insert AFTER INSERT ON membership
WHEN (SELECT import_batch FROM person WHERE id = NEW.person_id) IS NULL
BEGIN
  INSERT INTO audit_append VALUES ('membership', NEW.id, 'insert', NULL, NULL,
    json_object ('person_id', NEW.person_id, 'code_list', NEW.code_list,
                 'category', NEW.category, 'status', NEW.status));
END;

CREATE TRIGGER membership_audit_update AFTER UPDATE ON membership
BEGIN
  INSERT INTO audit_append SELECT 'membership', NEW.id, 'update', 'person_id', OLD.person_id,
    NEW.person_id WHERE OLD.person_id IS NOT NEW.person_id;
  INSERT INTO audit_append SELECT 'membership', NEW.id, 'update', 'category', OLD.category,
    NEW.category WHERE OLD.category IS NOT NEW.category;
  INSERT INTO audit_append SELECT 'membership', NEW.id, 'update', 'status', OLD.status, NEW.status
    WHERE OLD.status IS NOT NEW.status;
  INSERT INTO audit_append SELECT 'membership', NEW.id, 'update', 'reason', OLD.reason, NEW.reason
    WHERE OLD.reason IS NOT NEW.reason;
  INSERT INTO audit_append SELECT 'membership', NEW.id, 'update', 'decree', OLD.decree, NEW.decree
    WHERE OLD.decree IS NOT NEW.decree;
  INSERT INTO audit_append SELECT 'membership', NEW.id, 'update', 'until', OLD.until, NEW.until
    WHERE OLD.until IS NOT NEW.until;
END;

CREATE TRIGGER membership_audit_delete AFTER DELETE ON membership
BEGIN
  INSERT INTO audit_append VALUES ('membership', OLD.id, 'delete', NULL,
    json_object ('person_id', OLD.person_id, 'code_list', OLD.code_list,
                 'category', OLD.category, 'status', OLD.status, 'reason', OLD.reason), NULL);
END;

CREATE TRIGGER membership_history_update AFTER UPDATE OF status ON membership
WHEN OLD.status IS NOT NEW.status
BEGIN
  INSERT INTO membership_history (membership_id, person_id, category, from_status, to_status,
                                  reason, decree, operator, effective_date)
  VALUES (NEW.id, NEW.person_id, NEW.category, OLD.status, NEW.status, NEW.reason, NEW.decree,
          jangkau_operator (), coalesce (NEW.since, date ('now')));
END;

CREATE TRIGGER person_nik_history_update AFTER UPDATE OF nik ON person
WHEN (OLD.nik IS NULL) IS NOT (NEW.nik IS NULL)
BEGIN
  INSERT INTO person_nik_history (person_id, recorded_on, has_nik)
  VALUES (NEW.id, date ('now'), NEW.nik IS NOT NULL);
END;


PRAGMA legacy_alter_table = OFF;
