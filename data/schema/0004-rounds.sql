-- Schema version 4: outreach rounds (issue 5) and the road segments used for road distances.
-- See docs/rounds.md. Times are minutes since midnight; distances in metres; team and day 1-based.

-- One planned round: its parameters and the totals of the plan.
CREATE TABLE round (
  id               INTEGER PRIMARY KEY,
  name             TEXT,
  created_at       TEXT NOT NULL DEFAULT (strftime ('%Y-%m-%dT%H:%M:%SZ', 'now')),
  depot_lon        REAL NOT NULL,
  depot_lat        REAL NOT NULL,
  n_teams          INTEGER NOT NULL CHECK (n_teams > 0),
  n_days           INTEGER NOT NULL CHECK (n_days > 0),
  day_start_min    REAL NOT NULL,
  day_end_min      REAL NOT NULL CHECK (day_end_min > day_start_min),
  visit_min        REAL NOT NULL CHECK (visit_min >= 0),
  max_visits       INTEGER NOT NULL DEFAULT 0,
  cost_model       TEXT NOT NULL CHECK (cost_model IN ('geodesic', 'roads')),
  detour_factor    REAL,
  selection        TEXT,            -- the filter as given (human-readable)
  n_targets        INTEGER NOT NULL DEFAULT 0,
  n_planned        INTEGER NOT NULL DEFAULT 0,
  n_unplanned      INTEGER NOT NULL DEFAULT 0,
  total_m          REAL NOT NULL DEFAULT 0,
  total_travel_min REAL NOT NULL DEFAULT 0
);

CREATE TABLE round_team (
  round_id  INTEGER NOT NULL REFERENCES round (id) ON DELETE CASCADE,
  team      INTEGER NOT NULL CHECK (team > 0),
  name      TEXT NOT NULL,
  vehicle   TEXT NOT NULL CHECK (vehicle IN ('car', 'motorbike')),
  speed_kmh REAL NOT NULL CHECK (speed_kmh > 0),
  PRIMARY KEY (round_id, team)
);

-- One row per target family. Planned stops have team, day, seq and times; the others have a
-- status saying why they could not be planned (never dropped).
CREATE TABLE round_stop (
  id         INTEGER PRIMARY KEY,
  round_id   INTEGER NOT NULL REFERENCES round (id) ON DELETE CASCADE,
  family_id  INTEGER NOT NULL REFERENCES family (id) ON DELETE CASCADE,
  status     TEXT NOT NULL CHECK (status IN ('planned', 'unreachable', 'not_snapped',
                                             'time_window', 'working_day', 'no_capacity')),
  team       INTEGER,
  day        INTEGER,
  seq        INTEGER,
  lon        REAL NOT NULL,         -- the family's position when the round was planned
  lat        REAL NOT NULL,
  arrive_min REAL,
  start_min  REAL,
  depart_min REAL,
  open_min   REAL,
  close_min  REAL,
  leg_m      REAL,                  -- from the previous stop (or the depot)
  snap_m     REAL,                  -- distance to the road network (road cost model)
  requeued   INTEGER NOT NULL DEFAULT 0,
  CHECK ((status = 'planned') = (team IS NOT NULL AND day IS NOT NULL AND seq IS NOT NULL)),
  UNIQUE (round_id, family_id)
);
CREATE INDEX round_stop_order ON round_stop (round_id, team, day, seq);
CREATE INDEX round_stop_family ON round_stop (family_id);

-- One row per team and day with at least one stop; geom is the route line (along the roads
-- with the road cost model, straight legs otherwise), depot to depot.
CREATE TABLE round_route (
  round_id   INTEGER NOT NULL REFERENCES round (id) ON DELETE CASCADE,
  team       INTEGER NOT NULL,
  day        INTEGER NOT NULL,
  n_stops    INTEGER NOT NULL,
  start_min  REAL NOT NULL,
  end_min    REAL NOT NULL,
  travel_min REAL NOT NULL,
  distance_m REAL NOT NULL,
  PRIMARY KEY (round_id, team, day)
);
SELECT AddGeometryColumn ('round_route', 'geom', 4326, 'LINESTRING', 'XY');
SELECT CreateSpatialIndex ('round_route', 'geom');

-- Road network (any line source; OSM extracts through GDAL's OSM driver). highway is the OSM
-- class; oneway: 1 along the digitised direction only, -1 against it, 0 both ways.
CREATE TABLE road_segment (
  id      INTEGER PRIMARY KEY,
  source  TEXT NOT NULL,
  osm_id  TEXT,
  name    TEXT,
  highway TEXT NOT NULL,
  oneway  INTEGER NOT NULL DEFAULT 0 CHECK (oneway IN (-1, 0, 1))
);
SELECT AddGeometryColumn ('road_segment', 'geom', 4326, 'LINESTRING', 'XY', 1);
SELECT CreateSpatialIndex ('road_segment', 'geom');
