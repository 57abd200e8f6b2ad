-- The big screen's summary cache is valid while sum(weight) of data_changes is unchanged
-- (server/screen/dataVersion.ts). Every write statement on a table the summary reads adds
-- one row, visible exactly when the write commits; an INSERT takes no lock another writer
-- waits for, so writers stay as concurrent as before.
CREATE OR REPLACE FUNCTION data_changes_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO data_changes DEFAULT VALUES;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER grids_data_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON grids FOR EACH STATEMENT EXECUTE FUNCTION data_changes_record();
--> statement-breakpoint
CREATE TRIGGER regions_data_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON regions FOR EACH STATEMENT EXECUTE FUNCTION data_changes_record();
--> statement-breakpoint
CREATE TRIGGER service_centres_data_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON service_centres FOR EACH STATEMENT EXECUTE FUNCTION data_changes_record();
--> statement-breakpoint
CREATE TRIGGER incidents_data_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON incidents FOR EACH STATEMENT EXECUTE FUNCTION data_changes_record();
--> statement-breakpoint
CREATE TRIGGER isochrones_data_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON isochrones FOR EACH STATEMENT EXECUTE FUNCTION data_changes_record();
