ALTER TABLE "demo_belts" ADD COLUMN "designated_on" date;--> statement-breakpoint
ALTER TABLE "demo_circles" ADD COLUMN "designated_on" date;--> statement-breakpoint
-- A database already holding the sample gets the sample's designation dates (data/sample.ts SAMPLE_DESIGNATION_MONTHS:
-- months before the sample's "now", China date); real data keeps null until someone enters the date.
UPDATE "demo_belts" d SET "designated_on" = (((coalesce(m.value->'options'->>'now', m.value->>'generatedAt'))::timestamptz AT TIME ZONE 'UTC') + interval '8 hours' - x.months * interval '1 month')::date
FROM "meta" m, (VALUES ('玉北党建示范带', 8)) AS x(name, months)
WHERE m.key = 'dataset' AND m.value->>'sample' = 'true' AND d.name = x.name AND d.designated_on IS NULL;--> statement-breakpoint
UPDATE "demo_circles" d SET "designated_on" = (((coalesce(m.value->'options'->>'now', m.value->>'generatedAt'))::timestamptz AT TIME ZONE 'UTC') + interval '8 hours' - x.months * interval '1 month')::date
FROM "meta" m, (VALUES ('名山街道党建示范圈', 9), ('玉城街道党建示范圈', 7), ('茂林镇党建示范圈', 6)) AS x(name, months)
WHERE m.key = 'dataset' AND m.value->>'sample' = 'true' AND d.name = x.name AND d.designated_on IS NULL;
