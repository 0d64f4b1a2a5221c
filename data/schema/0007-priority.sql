-- Schema version 6: target priority for outreach rounds (issue 5). See docs/rounds.md.

-- 1 mendesak (urgent), 2 tinggi (high), 3 biasa (normal). Rounds may take only the families up
-- to a priority and plan the more urgent ones first when not every target fits.
ALTER TABLE family ADD COLUMN priority INTEGER NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 3);
CREATE INDEX family_priority ON family (priority) WHERE priority < 3;

-- The family's priority when the round was planned (NULL for rounds planned before version 6).
ALTER TABLE round_stop ADD COLUMN priority INTEGER CHECK (priority IS NULL OR priority BETWEEN 1 AND 3);

-- The audit triggers now log the priority too (insert snapshot and changed field).
DROP TRIGGER family_audit_insert;
CREATE TRIGGER family_audit_insert AFTER INSERT ON family WHEN NEW.import_batch IS NULL
BEGIN
  INSERT INTO audit_append VALUES ('family', NEW.id, 'insert', NULL, NULL,
    json_object ('no_kk', NEW.no_kk, 'address', NEW.address, 'rt', NEW.rt, 'rw', NEW.rw,
                 'desa_code', NEW.desa_code, 'loc_source', NEW.loc_source,
                 'gps_accuracy_m', NEW.gps_accuracy_m, 'priority', NEW.priority,
                 'geom', AsText (NEW.geom)));
END;

DROP TRIGGER family_audit_update;
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
  INSERT INTO audit_append SELECT 'family', NEW.id, 'update', 'priority', OLD.priority,
    NEW.priority WHERE OLD.priority IS NOT NEW.priority;
END;
