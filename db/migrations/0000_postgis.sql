-- PostGIS must exist before any geometry column. pgRouting is optional (the embedded database has none).
CREATE EXTENSION IF NOT EXISTS postgis;
