-- The workbench's tabs (server/incidents/inbox.ts) are about open cases, a few per cent
-- of all incidents. One partial index over the open ones, carrying every column the tabs
-- and the read rule test, lets each count and page be an index-only scan of the open set
-- instead of walking a reader's whole history (a grid worker's 20,000 reports, mostly closed).
-- Hand-written: drizzle's index builder has no INCLUDE.
CREATE INDEX "incidents_open_idx" ON "incidents" USING btree ("deadline_at") INCLUDE ("id", "stage", "grid_code", "place_code", "reporter_user_id", "assignee_user_id", "handler_user_id", "department_id", "suspended", "urge_count", "pending_request", "sign_deadline_at") WHERE "stage" NOT IN ('close', 'evaluate');
