-- Jangkau project schema, version 1.
-- Every geometry is EPSG:4326 (lon, lat), registered with SpatiaLite and spatially indexed.
-- Only the WGS84-based reference systems (EPSG:4326 and the UTM zones, 129 rows) instead of
-- SpatiaLite's ~6,000: the project stores EPSG:4326 only and reprojects with PROJ, and the full
-- table made every new project 6 MB larger and its creation 0.15 s slower (docs/store.md).
SELECT InitSpatialMetadata(0, 'WGS84');

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT
);

-- Versioned code lists (Permensos 8/2012 is 'permensos-8-2012'; older and newer lists can be added).
CREATE TABLE code_list (
  id          TEXT PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind IN ('pmks', 'psks')),
  description TEXT
);

CREATE TABLE pmks_category (
  code_list  TEXT NOT NULL REFERENCES code_list (id),
  code       INTEGER NOT NULL,
  name       TEXT NOT NULL,
  short_name TEXT NOT NULL,
  name_en    TEXT NOT NULL,
  colour     TEXT NOT NULL,
  symbol     TEXT NOT NULL,
  PRIMARY KEY (code_list, code)
);

CREATE TABLE psks_type (
  code       INTEGER PRIMARY KEY CHECK (code BETWEEN 1 AND 12),
  name       TEXT NOT NULL,
  short_name TEXT NOT NULL,
  name_en    TEXT NOT NULL,
  colour     TEXT NOT NULL,
  symbol     TEXT NOT NULL
);

-- Kemendagri administrative areas. code is the dotted code (34.02.01.2001).
CREATE TABLE area (
  code        TEXT PRIMARY KEY,
  level       TEXT NOT NULL CHECK (level IN ('provinsi', 'kabupaten', 'kecamatan', 'desa')),
  name        TEXT NOT NULL,
  parent_code TEXT,
  population  INTEGER,
  centroid_lon REAL,
  centroid_lat REAL
);
SELECT AddGeometryColumn ('area', 'geom', 4326, 'MULTIPOLYGON', 'XY');
SELECT CreateSpatialIndex ('area', 'geom');
CREATE INDEX area_parent ON area (parent_code);
CREATE INDEX area_level ON area (level);

-- A family (Kartu Keluarga). no_kk is NULL for a person imported without a KK (a family of one).
-- desa_code is not a foreign key: households may be imported before the boundaries.
CREATE TABLE family (
  id             INTEGER PRIMARY KEY,
  no_kk          TEXT UNIQUE,
  address        TEXT,
  rt             TEXT,
  rw             TEXT,
  desa_code      TEXT,
  loc_source     TEXT NOT NULL CHECK (loc_source IN ('gps', 'address', 'desa_centroid')),
  gps_accuracy_m REAL,
  created_at     TEXT NOT NULL DEFAULT (strftime ('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
SELECT AddGeometryColumn ('family', 'geom', 4326, 'POINT', 'XY', 1);
SELECT CreateSpatialIndex ('family', 'geom');
CREATE INDEX family_desa ON family (desa_code);

CREATE TABLE person (
  id          INTEGER PRIMARY KEY,
  family_id   INTEGER NOT NULL REFERENCES family (id) ON DELETE CASCADE,
  nik         TEXT UNIQUE CHECK (nik IS NULL OR length (nik) = 16),
  name        TEXT,
  sex         TEXT CHECK (sex IS NULL OR sex IN ('L', 'P')),
  birth_date  TEXT,
  relation    TEXT,
  created_at  TEXT NOT NULL DEFAULT (strftime ('%Y-%m-%dT%H:%M:%SZ', 'now')),
  updated_at  TEXT
);
CREATE INDEX person_family ON person (family_id);

-- PMKS membership of a person: one row per category, with the verivali status.
CREATE TABLE membership (
  id         INTEGER PRIMARY KEY,
  person_id  INTEGER NOT NULL REFERENCES person (id) ON DELETE CASCADE,
  code_list  TEXT NOT NULL DEFAULT 'permensos-8-2012',
  category   INTEGER NOT NULL,
  status     TEXT NOT NULL DEFAULT 'entri',
  since      TEXT NOT NULL DEFAULT (date ('now')),
  until      TEXT,
  reason     TEXT,
  FOREIGN KEY (code_list, category) REFERENCES pmks_category (code_list, code),
  UNIQUE (person_id, code_list, category)
);
CREATE INDEX membership_category ON membership (category);

-- PSKS resources. radius_m NULL means the default service radius of the analysis.
CREATE TABLE resource (
  id        INTEGER PRIMARY KEY,
  type      INTEGER NOT NULL REFERENCES psks_type (code),
  name      TEXT NOT NULL,
  contact   TEXT,
  capacity  INTEGER,
  radius_m  REAL CHECK (radius_m IS NULL OR radius_m > 0),
  desa_code TEXT
);
SELECT AddGeometryColumn ('resource', 'geom', 4326, 'POINT', 'XY', 1);
SELECT CreateSpatialIndex ('resource', 'geom');

-- Categories a resource serves; no rows = serves every category.
CREATE TABLE resource_serves (
  resource_id INTEGER NOT NULL REFERENCES resource (id) ON DELETE CASCADE,
  code_list   TEXT NOT NULL DEFAULT 'permensos-8-2012',
  category    INTEGER NOT NULL,
  PRIMARY KEY (resource_id, code_list, category),
  FOREIGN KEY (code_list, category) REFERENCES pmks_category (code_list, code)
);
