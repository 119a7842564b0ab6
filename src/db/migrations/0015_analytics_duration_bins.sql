-- Exact medians that stay fast on millions of leads (src/modules/reports/reports.quantiles.ts): each
-- duration row gets its bin, a slice of the time axis about 1% wide (100 bins per factor e, mirrored
-- for negative times), and a second table counts per bin. A report reads the bin counts first, then
-- only the (seconds, count) rows of the bins that hold the ranks it needs. Defined once, here.
CREATE FUNCTION analytics_duration_bin(seconds double precision) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN (sign(seconds) * floor(ln(1 + abs(seconds)) * 100))::integer;
--> statement-breakpoint
CREATE TABLE "analytics_deal_duration_bins" (
	"grain" text NOT NULL,
	"bucket" date NOT NULL,
	"dim" text NOT NULL,
	"value" text,
	"bin" integer NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "analytics_deal_duration_bins_key" UNIQUE NULLS NOT DISTINCT("dim","grain","bucket","value","bin")
);
--> statement-breakpoint
CREATE TABLE "analytics_lead_duration_bins" (
	"grain" text NOT NULL,
	"bucket" date NOT NULL,
	"dim" text NOT NULL,
	"value" text,
	"step" smallint NOT NULL,
	"bin" integer NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "analytics_lead_duration_bins_key" UNIQUE NULLS NOT DISTINCT("dim","grain","bucket","value","step","bin")
);
--> statement-breakpoint
ALTER TABLE "analytics_deal_durations" DROP CONSTRAINT "analytics_deal_durations_key";--> statement-breakpoint
ALTER TABLE "analytics_lead_durations" DROP CONSTRAINT "analytics_lead_durations_key";--> statement-breakpoint
ALTER TABLE "analytics_deal_durations" ADD COLUMN "bin" integer;--> statement-breakpoint
ALTER TABLE "analytics_lead_durations" ADD COLUMN "bin" integer;--> statement-breakpoint
UPDATE "analytics_deal_durations" SET "bin" = analytics_duration_bin("seconds");--> statement-breakpoint
UPDATE "analytics_lead_durations" SET "bin" = analytics_duration_bin("seconds");--> statement-breakpoint
ALTER TABLE "analytics_deal_durations" ALTER COLUMN "bin" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_lead_durations" ALTER COLUMN "bin" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_deal_durations" ADD CONSTRAINT "analytics_deal_durations_key" UNIQUE NULLS NOT DISTINCT("dim","grain","bin","value","seconds","bucket");--> statement-breakpoint
ALTER TABLE "analytics_lead_durations" ADD CONSTRAINT "analytics_lead_durations_key" UNIQUE NULLS NOT DISTINCT("dim","grain","step","bin","value","seconds","bucket");--> statement-breakpoint
-- The bins of what the rollups already hold; leads also for all time (the sum of the months).
INSERT INTO "analytics_deal_duration_bins" (grain, bucket, dim, value, bin, n)
SELECT grain, bucket, dim, value, bin, sum(n)::int FROM "analytics_deal_durations"
GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0;
--> statement-breakpoint
INSERT INTO "analytics_lead_duration_bins" (grain, bucket, dim, value, step, bin, n)
SELECT grain, bucket, dim, value, step, bin, sum(n)::int FROM "analytics_lead_durations"
GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(n) <> 0
UNION ALL
SELECT 'a', '-infinity'::date, dim, value, step, bin, sum(n)::int FROM "analytics_lead_durations"
WHERE grain = 'm' GROUP BY 3, 4, 5, 6 HAVING sum(n) <> 0;
--> statement-breakpoint
-- How far each refresh counted (it may wait at a gap, see reports.refresh.ts): what a report is
-- behind by is what came after these. Existing states counted up to their watermark.
ALTER TABLE "analytics_state" ADD COLUMN "counted_seq" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_state" ADD COLUMN "counted_changes_seq" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE "analytics_state" SET "counted_seq" = "seq", "counted_changes_seq" = "changes_seq";
