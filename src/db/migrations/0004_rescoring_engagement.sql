CREATE TABLE "rescoring_engagement" (
	"version" integer NOT NULL,
	"person_id" uuid NOT NULL,
	"points" numeric(10, 1) NOT NULL,
	CONSTRAINT "rescoring_engagement_version_person_id_pk" PRIMARY KEY("version","person_id")
);
--> statement-breakpoint
ALTER TABLE "sla_timers" ADD COLUMN "claimed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sla_timers" ADD COLUMN "notified_at" timestamp with time zone;