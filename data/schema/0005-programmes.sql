-- Schema version 5: programmes (rollout campaigns such as Pelangsir Massal) and the dates that
-- coverage "at a date" needs. See docs/coverage.md.

-- A programme, e.g. "Pelangsir Massal 2027". category: the PMKS category it serves (NULL any);
-- it restricts count targets and the "verified" figure to memberships of that category.
CREATE TABLE programme (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE CHECK (length (trim (name)) > 0),
  category   INTEGER CHECK (category IS NULL OR category BETWEEN 1 AND 26),
  start_date TEXT CHECK (start_date IS NULL OR date (start_date) IS start_date),
  end_date   TEXT CHECK (end_date IS NULL OR date (end_date) IS end_date),
  created_at TEXT NOT NULL DEFAULT (strftime ('%Y-%m-%dT%H:%M:%SZ', 'now')),
  CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date)
);

-- Phases in order: the pilot kecamatan first (seq 1), then the expansion.
CREATE TABLE programme_phase (
  programme_id INTEGER NOT NULL REFERENCES programme (id) ON DELETE CASCADE,
  seq          INTEGER NOT NULL CHECK (seq > 0),
  name         TEXT NOT NULL,
  start_date   TEXT NOT NULL CHECK (date (start_date) IS start_date),
  end_date     TEXT CHECK (end_date IS NULL OR date (end_date) IS end_date),
  PRIMARY KEY (programme_id, seq),
  UNIQUE (programme_id, name),
  CHECK (end_date IS NULL OR end_date >= start_date)
);

-- Target areas: a kecamatan (every desa under it) or a desa, with the phase and its own dates
-- (NULL: the phase's, else the programme's). target_count (desa only): the number of persons to
-- reach in the desa; without it the desa's targets are the listed persons (programme_target).
CREATE TABLE programme_area (
  programme_id INTEGER NOT NULL REFERENCES programme (id) ON DELETE CASCADE,
  area_code    TEXT NOT NULL,
  phase        INTEGER,
  start_date   TEXT CHECK (start_date IS NULL OR date (start_date) IS start_date),
  end_date     TEXT CHECK (end_date IS NULL OR date (end_date) IS end_date),
  target_count INTEGER CHECK (target_count IS NULL OR target_count >= 0),
  PRIMARY KEY (programme_id, area_code),
  CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date)
);

-- Explicit target persons (added from a selection filter). Not audited row by row: each
-- add-targets writes one summary entry (programme, filter, count), like an import.
CREATE TABLE programme_target (
  programme_id INTEGER NOT NULL REFERENCES programme (id) ON DELETE CASCADE,
  person_id    INTEGER NOT NULL REFERENCES person (id) ON DELETE CASCADE,
  added_on     TEXT NOT NULL DEFAULT (date ('now')),
  PRIMARY KEY (programme_id, person_id)
);
CREATE INDEX programme_target_person ON programme_target (person_id);

-- The date a status change took effect (membership.since of the change: the --date of a
-- transition, the visit date of a visit's effect), beside the wall-clock time `at`. Older
-- rows take the day they were written.
ALTER TABLE membership_history ADD COLUMN effective_date TEXT;
UPDATE membership_history SET effective_date = substr (at, 1, 10);
CREATE INDEX membership_history_membership ON membership_history (membership_id);

DROP TRIGGER membership_history_update;
CREATE TRIGGER membership_history_update AFTER UPDATE OF status ON membership
WHEN OLD.status IS NOT NEW.status
BEGIN
  INSERT INTO membership_history (membership_id, person_id, category, from_status, to_status,
                                  reason, decree, operator, effective_date)
  VALUES (NEW.id, NEW.person_id, NEW.category, OLD.status, NEW.status, NEW.reason, NEW.decree,
          jangkau_operator (), coalesce (NEW.since, date ('now')));
END;

-- When a person's NIK was recorded (or cleared): the day the change was written. A person
-- with a NIK and no row here has had it from the start (imported with it).
CREATE TABLE person_nik_history (
  id          INTEGER PRIMARY KEY,
  person_id   INTEGER NOT NULL,
  recorded_on TEXT NOT NULL,
  has_nik     INTEGER NOT NULL CHECK (has_nik IN (0, 1))
);
CREATE INDEX person_nik_history_person ON person_nik_history (person_id);

CREATE TRIGGER person_nik_history_update AFTER UPDATE OF nik ON person
WHEN (OLD.nik IS NULL) IS NOT (NEW.nik IS NULL)
BEGIN
  INSERT INTO person_nik_history (person_id, recorded_on, has_nik)
  VALUES (NEW.id, date ('now'), NEW.nik IS NOT NULL);
END;

-- Audit: programme, phase and area edits, one entry per row change (small tables).
CREATE TRIGGER programme_audit_insert AFTER INSERT ON programme
BEGIN
  INSERT INTO audit_append VALUES ('programme', NEW.id, 'insert', NULL, NULL,
    json_object ('name', NEW.name, 'category', NEW.category, 'start_date', NEW.start_date,
                 'end_date', NEW.end_date));
END;

CREATE TRIGGER programme_audit_update AFTER UPDATE ON programme
BEGIN
  INSERT INTO audit_append VALUES ('programme', NEW.id, 'update', NULL,
    json_object ('name', OLD.name, 'category', OLD.category, 'start_date', OLD.start_date,
                 'end_date', OLD.end_date),
    json_object ('name', NEW.name, 'category', NEW.category, 'start_date', NEW.start_date,
                 'end_date', NEW.end_date));
END;

CREATE TRIGGER programme_audit_delete AFTER DELETE ON programme
BEGIN
  INSERT INTO audit_append VALUES ('programme', OLD.id, 'delete', NULL,
    json_object ('name', OLD.name), NULL);
END;

CREATE TRIGGER programme_phase_audit_insert AFTER INSERT ON programme_phase
BEGIN
  INSERT INTO audit_append VALUES ('programme_phase', NEW.programme_id, 'insert', NULL, NULL,
    json_object ('seq', NEW.seq, 'name', NEW.name, 'start_date', NEW.start_date,
                 'end_date', NEW.end_date));
END;

CREATE TRIGGER programme_phase_audit_update AFTER UPDATE ON programme_phase
BEGIN
  INSERT INTO audit_append VALUES ('programme_phase', NEW.programme_id, 'update', NULL,
    json_object ('seq', OLD.seq, 'name', OLD.name, 'start_date', OLD.start_date,
                 'end_date', OLD.end_date),
    json_object ('seq', NEW.seq, 'name', NEW.name, 'start_date', NEW.start_date,
                 'end_date', NEW.end_date));
END;

CREATE TRIGGER programme_area_audit_insert AFTER INSERT ON programme_area
BEGIN
  INSERT INTO audit_append VALUES ('programme_area', NEW.programme_id, 'insert', NULL, NULL,
    json_object ('area_code', NEW.area_code, 'phase', NEW.phase, 'start_date', NEW.start_date,
                 'end_date', NEW.end_date, 'target_count', NEW.target_count));
END;

CREATE TRIGGER programme_area_audit_update AFTER UPDATE ON programme_area
BEGIN
  INSERT INTO audit_append VALUES ('programme_area', NEW.programme_id, 'update', NULL,
    json_object ('area_code', OLD.area_code, 'phase', OLD.phase, 'start_date', OLD.start_date,
                 'end_date', OLD.end_date, 'target_count', OLD.target_count),
    json_object ('area_code', NEW.area_code, 'phase', NEW.phase, 'start_date', NEW.start_date,
                 'end_date', NEW.end_date, 'target_count', NEW.target_count));
END;

CREATE TRIGGER programme_area_audit_delete AFTER DELETE ON programme_area
BEGIN
  INSERT INTO audit_append VALUES ('programme_area', OLD.programme_id, 'delete', NULL,
    json_object ('area_code', OLD.area_code, 'target_count', OLD.target_count), NULL);
END;
