ALTER TABLE "incidents" ADD COLUMN "hex_z9_i" integer;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "hex_z9_j" integer;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "hex_z10_i" integer;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "hex_z10_j" integer;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "hex_z11_i" integer;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "hex_z11_j" integer;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "hex_z12_i" integer;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "hex_z12_j" integer;--> statement-breakpoint
-- The PostGIS hexagon (ST_Hexagon(size, i, j), flat-topped, odd columns shifted up) holding
-- Web Mercator point (x, y): axial q = ⅔x/s, r = (√3⁄3·y − ⅓x)/s, cube-rounded, then PostGIS's
-- offset rows j = r + floor(q/2). The same float operations, in the same order, as
-- hexCellsSql (server/incidents/aggregation.ts), so stored and computed cells agree exactly.
CREATE OR REPLACE FUNCTION hex_cell(x float8, y float8, size float8, OUT i integer, OUT j integer)
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  q float8 := x * (2::float8 / 3 / size);
  r float8 := y * (sqrt(3::float8) / 3 / size) - x * (1::float8 / 3 / size);
  rx float8 := round(q);
  ry float8 := round(-q - r);
  rz float8 := round(r);
  dx float8 := abs(rx - q);
  dy float8 := abs(ry + q + r);
  dz float8 := abs(rz - r);
BEGIN
  IF dx > dy AND dx > dz THEN
    i := (-ry - rz)::integer;
    j := rz::integer;
  ELSIF dy > dz THEN
    i := rx::integer;
    j := rz::integer;
  ELSE
    i := rx::integer;
    j := (-rx - ry)::integer;
  END IF;
  j := j + (i >> 1);
END
$$;
--> statement-breakpoint
-- Cells at the hexbin sizes of zooms 9–12 (hexSizeForZoom: 18 px × metres per pixel, to the cm).
CREATE OR REPLACE FUNCTION incidents_hex_cells() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  x float8 := ST_X(NEW.geom) * 20037508.342789244 / 180;
  y float8 := ln(tan(radians(90 + ST_Y(NEW.geom)) / 2)) * 6378137;
  c record;
BEGIN
  c := hex_cell(x, y, 5503.47);
  NEW.hex_z9_i := c.i;
  NEW.hex_z9_j := c.j;
  c := hex_cell(x, y, 2751.73);
  NEW.hex_z10_i := c.i;
  NEW.hex_z10_j := c.j;
  c := hex_cell(x, y, 1375.87);
  NEW.hex_z11_i := c.i;
  NEW.hex_z11_j := c.j;
  c := hex_cell(x, y, 687.93);
  NEW.hex_z12_i := c.i;
  NEW.hex_z12_j := c.j;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER incidents_hex_cells BEFORE INSERT OR UPDATE OF geom ON incidents
  FOR EACH ROW EXECUTE FUNCTION incidents_hex_cells();
--> statement-breakpoint
UPDATE incidents SET geom = geom;--> statement-breakpoint
CREATE INDEX "incidents_hex_idx" ON "incidents" USING btree ("reported_at","source","category_code","stage","hex_z9_i","hex_z9_j","hex_z10_i","hex_z10_j","hex_z11_i","hex_z11_j","hex_z12_i","hex_z12_j");