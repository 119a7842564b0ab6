CREATE TABLE "analytics_lead_durations" (
	"grain" text NOT NULL,
	"bucket" date NOT NULL,
	"dim" text NOT NULL,
	"value" text,
	"step" smallint NOT NULL,
	"seconds" double precision NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "analytics_lead_durations_key" UNIQUE NULLS NOT DISTINCT("dim","grain","bucket","value","step","seconds")
);
--> statement-breakpoint
CREATE TABLE "analytics_lead_facts" (
	"person_id" uuid PRIMARY KEY NOT NULL,
	"day" date NOT NULL,
	"month" text NOT NULL,
	"source" text,
	"campaign_id" text,
	"landing_page" text,
	"owner_id" text,
	"segment" text,
	"reached" smallint NOT NULL,
	"sql_win" smallint NOT NULL,
	"won_win" smallint NOT NULL,
	"seconds" double precision[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_lead_rollup" (
	"grain" text NOT NULL,
	"bucket" date NOT NULL,
	"dim" text NOT NULL,
	"value" text,
	"reached" smallint NOT NULL,
	"sql_win" smallint NOT NULL,
	"won_win" smallint NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "analytics_lead_rollup_key" UNIQUE NULLS NOT DISTINCT("dim","grain","bucket","value","reached","sql_win","won_win")
);
--> statement-breakpoint
ALTER TABLE "analytics_lead_facts" ADD CONSTRAINT "analytics_lead_facts_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;