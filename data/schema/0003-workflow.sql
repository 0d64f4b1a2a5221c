-- Schema version 3: verivali workflow, operators, visits and the tamper-evident audit log.
-- See docs/workflow.md. The triggers below call three SQL functions that Jangkau registers on
-- every connection it opens (geo/geo-audit.c): jangkau_operator(), jangkau_audit_hash(...) and
-- jangkau_scope_check(desa_code). A connection without them (the sqlite3 shell, GDAL) can read
-- the project but cannot change an audited table: the trigger fails with "no such function".

-- Local user profiles. scope is a dotted Kemendagri code (a desa for a desa operator, a
-- kecamatan for a kecamatan coordinator); NULL = everywhere (planners, administrators).
CREATE TABLE operator (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  role       TEXT NOT NULL CHECK (role IN ('desa', 'kecamatan', 'planner', 'admin')),
  scope      TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime ('%Y-%m-%dT%H:%M:%SZ', 'now')),
  CHECK ((role IN ('desa', 'kecamatan')) = (scope IS NOT NULL))
);
-- The built-in administrator every project starts with (the CLI's default --operator).
INSERT INTO operator (name, role, scope) VALUES ('admin', 'admin', NULL);

-- Verivali: the approval decree of the last transition, and the history of every status change.
ALTER TABLE membership ADD COLUMN decree TEXT;
CREATE INDEX membership_person ON membership (person_id);
CREATE INDEX membership_status ON membership (status);

CREATE TABLE membership_history (
  id            INTEGER PRIMARY KEY,
  membership_id INTEGER NOT NULL,
  person_id     INTEGER NOT NULL,
  category      INTEGER NOT NULL,
  from_status   TEXT,
  to_status     TEXT NOT NULL,
  reason        TEXT,
  decree        TEXT,
  operator      TEXT NOT NULL,
  at            TEXT NOT NULL DEFAULT (strftime ('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX membership_history_person ON membership_history (person_id);

-- Home visits (issue 5 outreach rounds and issue 6 verivali share this table).
-- outcome: DTSEN family presence code 1 found, 2 moved / not found, 3 refused, 4 deceased,
-- 5 not eligible, 6 in an institution, 8 not reachable by the end; 9 is Jangkau's own code for
-- "not at home, come back" (not a DTSEN code). geom: where the visit was logged (GPS), optional.
CREATE TABLE visit (
  id         INTEGER PRIMARY KEY,
  family_id  INTEGER NOT NULL REFERENCES family (id) ON DELETE CASCADE,
  visit_date TEXT NOT NULL CHECK (date (visit_date) IS visit_date),
  team       TEXT,
  outcome    INTEGER NOT NULL CHECK (outcome IN (1, 2, 3, 4, 5, 6, 8, 9)),
  notes      TEXT,
  operator   TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime ('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
SELECT AddGeometryColumn ('visit', 'geom', 4326, 'POINT', 'XY');
SELECT CreateSpatialIndex ('visit', 'geom');
CREATE INDEX visit_family ON visit (family_id);

-- DTSEN member presence codes seen during a visit: 1 lives here, 2 deceased, 3 moved within
-- Indonesia, 4 moved abroad, 5 not found.
CREATE TABLE visit_member (
  visit_id  INTEGER NOT NULL REFERENCES visit (id) ON DELETE CASCADE,
  person_id INTEGER NOT NULL REFERENCES person (id) ON DELETE CASCADE,
  code      INTEGER NOT NULL CHECK (code BETWEEN 1 AND 5),
  PRIMARY KEY (visit_id, person_id)
);
CREATE INDEX visit_member_person ON visit_member (person_id);

-- 1 when the family's latest visit was "not reachable" (8) or "not at home" (9): the outreach
-- round planner takes these families again.
ALTER TABLE family ADD COLUMN requeue INTEGER NOT NULL DEFAULT 0;

-- The audit log: append-only, hash-chained. hash = SHA-256 over (id, at, operator, tbl, row_id,
-- action, field, old_value, new_value, prev_hash), see geo_audit_hash_values(). old_value and
-- new_value have no declared type so values keep their SQLite type (and their hash).
CREATE TABLE audit_log (
  id        INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  operator  TEXT NOT NULL,
  tbl       TEXT NOT NULL,
  row_id    INTEGER,
  action    TEXT NOT NULL,
  field     TEXT,
  old_value,
  new_value,
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
);
CREATE INDEX audit_log_row ON audit_log (tbl, row_id);

-- Every audit entry is written through this view, which numbers, timestamps and chains it.
CREATE VIEW audit_append (tbl, row_id, action, field, old_value, new_value) AS
  SELECT tbl, row_id, action, field, old_value, new_value FROM audit_log WHERE 0;

CREATE TRIGGER audit_append_insert INSTEAD OF INSERT ON audit_append
BEGIN
  INSERT INTO audit_log (id, at, operator, tbl, row_id, action, field, old_value, new_value,
                         prev_hash, hash)
  SELECT p.id, t.at, t.op, NEW.tbl, NEW.row_id, NEW.action, NEW.field, NEW.old_value,
         NEW.new_value, p.h,
         jangkau_audit_hash (p.id, t.at, t.op, NEW.tbl, NEW.row_id, NEW.action, NEW.field,
                             NEW.old_value, NEW.new_value, p.h)
  FROM (SELECT strftime ('%Y-%m-%dT%H:%M:%fZ', 'now') AS at, jangkau_operator () AS op) AS t,
       (SELECT coalesce (max (id), 0) + 1 AS id,
               coalesce ((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '') AS h
        FROM audit_log) AS p;
END;

-- Direct inserts must carry the right number, chain and hash; nothing may change or go.
CREATE TRIGGER audit_log_check_insert BEFORE INSERT ON audit_log
WHEN NEW.id IS NOT (SELECT coalesce (max (id), 0) + 1 FROM audit_log) OR
     NEW.prev_hash IS NOT coalesce ((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '') OR
     NEW.hash IS NOT jangkau_audit_hash (NEW.id, NEW.at, NEW.operator, NEW.tbl, NEW.row_id,
                                          NEW.action, NEW.field, NEW.old_value, NEW.new_value,
                                          NEW.prev_hash)
BEGIN
  SELECT RAISE (ABORT, 'audit log: an entry must extend the hash chain');
END;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE (ABORT, 'audit log: entries are append-only and cannot be changed');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE (ABORT, 'audit log: entries are append-only and cannot be deleted');
END;

-- Membership status values are the verivali states (transitions are checked by geo-workflow.c).
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

CREATE TRIGGER membership_history_update AFTER UPDATE OF status ON membership
WHEN OLD.status IS NOT NEW.status
BEGIN
  INSERT INTO membership_history (membership_id, person_id, category, from_status, to_status,
                                  reason, decree, operator)
  VALUES (NEW.id, NEW.person_id, NEW.category, OLD.status, NEW.status, NEW.reason, NEW.decree,
          jangkau_operator ());
END;

-- Scope: an operator changes only records of families whose desa code lies under its scope.
-- Rows brought by an import (import_batch set) are checked by the import, not per row.
CREATE TRIGGER family_scope_insert BEFORE INSERT ON family WHEN NEW.import_batch IS NULL
BEGIN
  SELECT jangkau_scope_check (NEW.desa_code);
END;

CREATE TRIGGER family_scope_update BEFORE UPDATE ON family
BEGIN
  SELECT jangkau_scope_check (OLD.desa_code), jangkau_scope_check (NEW.desa_code);
END;

CREATE TRIGGER family_scope_delete BEFORE DELETE ON family
BEGIN
  SELECT jangkau_scope_check (OLD.desa_code);
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

CREATE TRIGGER visit_scope_insert BEFORE INSERT ON visit
BEGIN
  SELECT jangkau_scope_check ((SELECT desa_code FROM family WHERE id = NEW.family_id));
END;

CREATE TRIGGER visit_scope_update BEFORE UPDATE ON visit
BEGIN
  SELECT jangkau_scope_check ((SELECT desa_code FROM family WHERE id = OLD.family_id)),
         jangkau_scope_check ((SELECT desa_code FROM family WHERE id = NEW.family_id));
END;

CREATE TRIGGER visit_scope_delete BEFORE DELETE ON visit
BEGIN
  SELECT jangkau_scope_check ((SELECT desa_code FROM family WHERE id = OLD.family_id));
END;

CREATE TRIGGER resource_scope_update BEFORE UPDATE ON resource
BEGIN
  SELECT jangkau_scope_check (OLD.desa_code), jangkau_scope_check (NEW.desa_code);
END;

CREATE TRIGGER resource_scope_delete BEFORE DELETE ON resource
BEGIN
  SELECT jangkau_scope_check (OLD.desa_code);
END;

-- Audit triggers. Inserts and deletes log one entry with a JSON snapshot of the row; updates log
-- one entry per changed field. Rows inserted or updated by an import (import_batch set or
-- changed) are not logged one by one: the import_batch row (source, counts) is the summary entry.
CREATE TRIGGER family_audit_insert AFTER INSERT ON family WHEN NEW.import_batch IS NULL
BEGIN
  INSERT INTO audit_append VALUES ('family', NEW.id, 'insert', NULL, NULL,
    json_object ('no_kk', NEW.no_kk, 'address', NEW.address, 'rt', NEW.rt, 'rw', NEW.rw,
                 'desa_code', NEW.desa_code, 'loc_source', NEW.loc_source,
                 'gps_accuracy_m', NEW.gps_accuracy_m, 'geom', AsText (NEW.geom)));
END;

CREATE TRIGGER family_audit_update AFTER UPDATE ON family
WHEN NEW.import_batch IS OLD.import_batch
BEGIN
  INSERT INTO audit_append SELECT 'family', NEW.id, 'update', 'no_kk', OLD.no_kk, NEW.no_kk
    WHERE OLD.no_kk IS NOT NEW.no_kk;
  INSERT INTO audit_append SELECT 'family', NEW.id, 'update', 'address', OLD.address, NEW.address
    WHERE OLD.address IS NOT NEW.address;
  INSERT INTO audit_append SELECT 'family', NEW.id, 'update', 'rt', OLD.rt, NEW.rt
    WHERE OLD.rt IS NOT NEW.rt;
  INSERT INTO audit_append SELECT 'family', NEW.id, 'update', 'rw', OLD.rw, NEW.rw
    WHERE OLD.rw IS NOT NEW.rw;
  INSERT INTO audit_append SELECT 'family', NEW.id, 'update', 'desa_code', OLD.desa_code,
    NEW.desa_code WHERE OLD.desa_code IS NOT NEW.desa_code;
  INSERT INTO audit_append SELECT 'family', NEW.id, 'update', 'loc_source', OLD.loc_source,
    NEW.loc_source WHERE OLD.loc_source IS NOT NEW.loc_source;
  INSERT INTO audit_append SELECT 'family', NEW.id, 'update', 'gps_accuracy_m',
    OLD.gps_accuracy_m, NEW.gps_accuracy_m WHERE OLD.gps_accuracy_m IS NOT NEW.gps_accuracy_m;
  INSERT INTO audit_append SELECT 'family', NEW.id, 'update', 'geom', AsText (OLD.geom),
    AsText (NEW.geom) WHERE AsText (OLD.geom) IS NOT AsText (NEW.geom);
  INSERT INTO audit_append SELECT 'family', NEW.id, 'update', 'requeue', OLD.requeue, NEW.requeue
    WHERE OLD.requeue IS NOT NEW.requeue;
END;

CREATE TRIGGER family_audit_delete AFTER DELETE ON family
BEGIN
  INSERT INTO audit_append VALUES ('family', OLD.id, 'delete', NULL,
    json_object ('no_kk', OLD.no_kk, 'address', OLD.address, 'rt', OLD.rt, 'rw', OLD.rw,
                 'desa_code', OLD.desa_code, 'loc_source', OLD.loc_source,
                 'geom', AsText (OLD.geom)), NULL);
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

CREATE TRIGGER resource_audit_insert AFTER INSERT ON resource
BEGIN
  INSERT INTO audit_append VALUES ('resource', NEW.id, 'insert', NULL, NULL,
    json_object ('type', NEW.type, 'name', NEW.name, 'contact', NEW.contact,
                 'capacity', NEW.capacity, 'radius_m', NEW.radius_m, 'desa_code', NEW.desa_code,
                 'geom', AsText (NEW.geom)));
END;

CREATE TRIGGER resource_audit_update AFTER UPDATE ON resource
BEGIN
  INSERT INTO audit_append SELECT 'resource', NEW.id, 'update', 'type', OLD.type, NEW.type
    WHERE OLD.type IS NOT NEW.type;
  INSERT INTO audit_append SELECT 'resource', NEW.id, 'update', 'name', OLD.name, NEW.name
    WHERE OLD.name IS NOT NEW.name;
  INSERT INTO audit_append SELECT 'resource', NEW.id, 'update', 'contact', OLD.contact,
    NEW.contact WHERE OLD.contact IS NOT NEW.contact;
  INSERT INTO audit_append SELECT 'resource', NEW.id, 'update', 'capacity', OLD.capacity,
    NEW.capacity WHERE OLD.capacity IS NOT NEW.capacity;
  INSERT INTO audit_append SELECT 'resource', NEW.id, 'update', 'radius_m', OLD.radius_m,
    NEW.radius_m WHERE OLD.radius_m IS NOT NEW.radius_m;
  INSERT INTO audit_append SELECT 'resource', NEW.id, 'update', 'desa_code', OLD.desa_code,
    NEW.desa_code WHERE OLD.desa_code IS NOT NEW.desa_code;
  INSERT INTO audit_append SELECT 'resource', NEW.id, 'update', 'geom', AsText (OLD.geom),
    AsText (NEW.geom) WHERE AsText (OLD.geom) IS NOT AsText (NEW.geom);
END;

CREATE TRIGGER resource_audit_delete AFTER DELETE ON resource
BEGIN
  INSERT INTO audit_append VALUES ('resource', OLD.id, 'delete', NULL,
    json_object ('type', OLD.type, 'name', OLD.name, 'desa_code', OLD.desa_code,
                 'geom', AsText (OLD.geom)), NULL);
END;

CREATE TRIGGER visit_audit_insert AFTER INSERT ON visit
BEGIN
  INSERT INTO audit_append VALUES ('visit', NEW.id, 'insert', NULL, NULL,
    json_object ('family_id', NEW.family_id, 'visit_date', NEW.visit_date, 'team', NEW.team,
                 'outcome', NEW.outcome, 'notes', NEW.notes, 'geom', AsText (NEW.geom)));
END;

CREATE TRIGGER visit_audit_update AFTER UPDATE ON visit
BEGIN
  INSERT INTO audit_append SELECT 'visit', NEW.id, 'update', 'family_id', OLD.family_id,
    NEW.family_id WHERE OLD.family_id IS NOT NEW.family_id;
  INSERT INTO audit_append SELECT 'visit', NEW.id, 'update', 'visit_date', OLD.visit_date,
    NEW.visit_date WHERE OLD.visit_date IS NOT NEW.visit_date;
  INSERT INTO audit_append SELECT 'visit', NEW.id, 'update', 'team', OLD.team, NEW.team
    WHERE OLD.team IS NOT NEW.team;
  INSERT INTO audit_append SELECT 'visit', NEW.id, 'update', 'outcome', OLD.outcome, NEW.outcome
    WHERE OLD.outcome IS NOT NEW.outcome;
  INSERT INTO audit_append SELECT 'visit', NEW.id, 'update', 'notes', OLD.notes, NEW.notes
    WHERE OLD.notes IS NOT NEW.notes;
  INSERT INTO audit_append SELECT 'visit', NEW.id, 'update', 'geom', AsText (OLD.geom),
    AsText (NEW.geom) WHERE AsText (OLD.geom) IS NOT AsText (NEW.geom);
END;

CREATE TRIGGER visit_audit_delete AFTER DELETE ON visit
BEGIN
  INSERT INTO audit_append VALUES ('visit', OLD.id, 'delete', NULL,
    json_object ('family_id', OLD.family_id, 'visit_date', OLD.visit_date,
                 'outcome', OLD.outcome), NULL);
END;

CREATE TRIGGER visit_member_audit_insert AFTER INSERT ON visit_member
BEGIN
  INSERT INTO audit_append VALUES ('visit_member', NEW.visit_id, 'insert', 'person_id', NULL,
    json_object ('person_id', NEW.person_id, 'code', NEW.code));
END;

CREATE TRIGGER visit_member_audit_update AFTER UPDATE ON visit_member
BEGIN
  INSERT INTO audit_append VALUES ('visit_member', NEW.visit_id, 'update', 'person_id',
    json_object ('person_id', OLD.person_id, 'code', OLD.code),
    json_object ('person_id', NEW.person_id, 'code', NEW.code));
END;

CREATE TRIGGER operator_audit_insert AFTER INSERT ON operator
BEGIN
  INSERT INTO audit_append VALUES ('operator', NEW.id, 'insert', NULL, NULL,
    json_object ('name', NEW.name, 'role', NEW.role, 'scope', NEW.scope));
END;

CREATE TRIGGER operator_audit_update AFTER UPDATE ON operator
BEGIN
  INSERT INTO audit_append VALUES ('operator', NEW.id, 'update', NULL,
    json_object ('name', OLD.name, 'role', OLD.role, 'scope', OLD.scope),
    json_object ('name', NEW.name, 'role', NEW.role, 'scope', NEW.scope));
END;

-- Imports: one summary entry when a batch starts and one per change of its counts.
CREATE TRIGGER import_batch_audit_insert AFTER INSERT ON import_batch
BEGIN
  INSERT INTO audit_append VALUES ('import_batch', NEW.id, 'import', NULL, NULL,
    json_object ('kind', NEW.kind, 'source', NEW.source));
END;

CREATE TRIGGER import_batch_audit_update AFTER UPDATE ON import_batch
BEGIN
  INSERT INTO audit_append VALUES ('import_batch', NEW.id, 'import', NULL,
    json_object ('rows_read', OLD.rows_read, 'imported', OLD.imported, 'rejected', OLD.rejected),
    json_object ('rows_read', NEW.rows_read, 'imported', NEW.imported, 'rejected', NEW.rejected));
END;
