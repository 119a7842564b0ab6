CREATE TABLE "analytics_lead_changes" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "analytics_lead_changes_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"person_id" uuid NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "analytics_lead_facts" DROP CONSTRAINT "analytics_lead_facts_person_id_people_id_fk";
--> statement-breakpoint
ALTER TABLE "analytics_state" ADD COLUMN "changes_seq" bigint DEFAULT 0 NOT NULL;