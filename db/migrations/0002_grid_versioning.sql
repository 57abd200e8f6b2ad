-- Every change to a grid becomes a version, whoever makes it (editor, import, renumber, SQL).
-- Writers name themselves per transaction: set_config('dangjian.actor', …, true) and
-- set_config('dangjian.action', 'update'|'split'|'merge'|'recode'|'revert'|'import'|…, true).

CREATE OR REPLACE FUNCTION grid_attrs(g grids) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_build_object(
    'code', g.code, 'name', g.name, 'communityCode', g.community_code,
    'households', g.households, 'population', g.population,
    'partyOrgName', g.party_org_name, 'partyOrgType', g.party_org_type, 'partySecretary', g.party_secretary,
    'partyMembers', g.party_members, 'dualReportMembers', g.dual_report_members,
    'gridWorkers', g.grid_workers, 'starRating', g.star_rating)
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION grid_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- 'park' moves a code out of the way during renumbering: bookkeeping, not a version.
  IF current_setting('dangjian.action', true) = 'park' THEN
    RETURN NEW;
  END IF;
  IF ST_AsEWKB(NEW.geom) = ST_AsEWKB(OLD.geom) AND grid_attrs(NEW) = grid_attrs(OLD) THEN
    RETURN NEW;
  END IF;
  NEW.version := OLD.version + 1;
  NEW.updated_at := now();
  IF ST_AsEWKB(NEW.geom) <> ST_AsEWKB(OLD.geom) THEN
    NEW.label_point := ST_PointOnSurface(NEW.geom);
  END IF;
  NEW.updated_by := coalesce(nullif(current_setting('dangjian.actor', true), ''), 'system');
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION grid_version_record() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  actor text := coalesce(nullif(current_setting('dangjian.actor', true), ''), 'system');
  action text := nullif(current_setting('dangjian.action', true), '');
  note text := nullif(current_setting('dangjian.note', true), '');
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO grid_versions (grid_id, grid_code, version, action, actor, after_geom, after_attrs, note)
    VALUES (NEW.id, NEW.code, NEW.version, coalesce(action, 'create'), actor, NEW.geom, grid_attrs(NEW), note);
    RETURN NEW;
  ELSIF TG_OP = 'UPDATE' THEN
    IF NEW.version <= OLD.version THEN
      RETURN NEW;
    END IF;
    INSERT INTO grid_versions (grid_id, grid_code, version, action, actor, before_geom, after_geom, before_attrs, after_attrs, note)
    VALUES (NEW.id, NEW.code, NEW.version, coalesce(action, 'update'), actor, OLD.geom, NEW.geom, grid_attrs(OLD), grid_attrs(NEW), note);
    RETURN NEW;
  ELSE
    INSERT INTO grid_versions (grid_id, grid_code, version, action, actor, before_geom, before_attrs, note)
    VALUES (OLD.id, OLD.code, OLD.version + 1, coalesce(action, 'delete'), actor, OLD.geom, grid_attrs(OLD), note);
    RETURN OLD;
  END IF;
END
$$;
--> statement-breakpoint
CREATE TRIGGER grids_version_bump BEFORE UPDATE ON grids FOR EACH ROW EXECUTE FUNCTION grid_version_bump();
--> statement-breakpoint
CREATE TRIGGER grids_version_record AFTER INSERT OR UPDATE OR DELETE ON grids FOR EACH ROW EXECUTE FUNCTION grid_version_record();
