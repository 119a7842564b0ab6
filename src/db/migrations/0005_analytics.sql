CREATE TABLE "analytics_lead_stages" (
	"person_id" uuid PRIMARY KEY NOT NULL,
	"reached" smallint NOT NULL,
	"entered" timestamp with time zone[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_state" (
	"name" text PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"signature" text NOT NULL,
	"refreshed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "analytics_lead_stages" ADD CONSTRAINT "analytics_lead_stages_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;