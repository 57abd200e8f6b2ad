CREATE TABLE "work_calendar_days" (
	"date" date PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "work_calendar_days_kind_known" CHECK ("work_calendar_days"."kind" in ('holiday', 'workday'))
);
--> statement-breakpoint
-- Category deadlines move to the working clock. Existing categories keep their number:
-- a whole number of days (24 h, 48 h, …) becomes that many working days, anything else
-- that many working hours. Incidents keep the deadline_at they already have.
ALTER TABLE "incident_categories" ADD COLUMN "deadline_amount" integer;--> statement-breakpoint
ALTER TABLE "incident_categories" ADD COLUMN "deadline_unit" text;--> statement-breakpoint
UPDATE "incident_categories" SET
  "deadline_amount" = CASE WHEN "deadline_hours" % 24 = 0 THEN "deadline_hours" / 24 ELSE "deadline_hours" END,
  "deadline_unit" = CASE WHEN "deadline_hours" % 24 = 0 THEN 'days' ELSE 'hours' END;--> statement-breakpoint
ALTER TABLE "incident_categories" ALTER COLUMN "deadline_amount" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "incident_categories" ALTER COLUMN "deadline_unit" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "incident_categories" ADD COLUMN "sign_hours" integer DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE "incident_categories" ADD CONSTRAINT "incident_categories_deadline_unit_known" CHECK ("incident_categories"."deadline_unit" in ('hours', 'days'));--> statement-breakpoint
ALTER TABLE "incident_categories" ADD CONSTRAINT "incident_categories_deadline_positive" CHECK ("incident_categories"."deadline_amount" > 0);--> statement-breakpoint
ALTER TABLE "incident_categories" ADD CONSTRAINT "incident_categories_sign_positive" CHECK ("incident_categories"."sign_hours" > 0);--> statement-breakpoint
-- 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04); the same days as OFFICIAL_2026 in
-- kernel/workCalendar.ts (server/calendar/calendar.test.ts checks they agree).
INSERT INTO "work_calendar_days" ("date", "kind", "name") VALUES
  ('2026-01-01', 'holiday', '元旦'),
  ('2026-01-02', 'holiday', '元旦'),
  ('2026-01-03', 'holiday', '元旦'),
  ('2026-01-04', 'workday', '元旦调休上班'),
  ('2026-02-14', 'workday', '春节调休上班'),
  ('2026-02-15', 'holiday', '春节'),
  ('2026-02-16', 'holiday', '春节'),
  ('2026-02-17', 'holiday', '春节'),
  ('2026-02-18', 'holiday', '春节'),
  ('2026-02-19', 'holiday', '春节'),
  ('2026-02-20', 'holiday', '春节'),
  ('2026-02-21', 'holiday', '春节'),
  ('2026-02-22', 'holiday', '春节'),
  ('2026-02-23', 'holiday', '春节'),
  ('2026-02-28', 'workday', '春节调休上班'),
  ('2026-04-04', 'holiday', '清明节'),
  ('2026-04-05', 'holiday', '清明节'),
  ('2026-04-06', 'holiday', '清明节'),
  ('2026-05-01', 'holiday', '劳动节'),
  ('2026-05-02', 'holiday', '劳动节'),
  ('2026-05-03', 'holiday', '劳动节'),
  ('2026-05-04', 'holiday', '劳动节'),
  ('2026-05-05', 'holiday', '劳动节'),
  ('2026-05-09', 'workday', '劳动节调休上班'),
  ('2026-06-19', 'holiday', '端午节'),
  ('2026-06-20', 'holiday', '端午节'),
  ('2026-06-21', 'holiday', '端午节'),
  ('2026-09-20', 'workday', '国庆节调休上班'),
  ('2026-09-25', 'holiday', '中秋节'),
  ('2026-09-26', 'holiday', '中秋节'),
  ('2026-09-27', 'holiday', '中秋节'),
  ('2026-10-01', 'holiday', '国庆节'),
  ('2026-10-02', 'holiday', '国庆节'),
  ('2026-10-03', 'holiday', '国庆节'),
  ('2026-10-04', 'holiday', '国庆节'),
  ('2026-10-05', 'holiday', '国庆节'),
  ('2026-10-06', 'holiday', '国庆节'),
  ('2026-10-07', 'holiday', '国庆节'),
  ('2026-10-10', 'workday', '国庆节调休上班')
ON CONFLICT ("date") DO NOTHING;
