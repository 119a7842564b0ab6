CREATE TABLE "analytics_credit_rollup" (
	"grain" text NOT NULL,
	"bucket" date,
	"dim" text NOT NULL,
	"value" text,
	"touch_dim" text NOT NULL,
	"touch_value" text,
	"first_touch" numeric NOT NULL,
	"last_touch" numeric NOT NULL,
	"linear" numeric NOT NULL,
	"w_shaped" numeric NOT NULL,
	"firsts" integer NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "analytics_credit_rollup_key" UNIQUE NULLS NOT DISTINCT("touch_dim","dim","grain","bucket","value","touch_value")
);
--> statement-breakpoint
CREATE TABLE "analytics_deal_changes" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "analytics_deal_changes_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"opportunity_id" uuid NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_deal_credits" (
	"deal_id" uuid NOT NULL,
	"pos" integer NOT NULL,
	"campaign_id" text,
	"source" text,
	"first_touch" numeric NOT NULL,
	"last_touch" numeric NOT NULL,
	"linear" numeric NOT NULL,
	"w_shaped" numeric NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_deal_durations" (
	"grain" text NOT NULL,
	"bucket" date NOT NULL,
	"dim" text NOT NULL,
	"value" text,
	"seconds" double precision NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "analytics_deal_durations_key" UNIQUE NULLS NOT DISTINCT("dim","grain","bucket","value","seconds")
);
--> statement-breakpoint
CREATE TABLE "analytics_deal_facts" (
	"deal_id" uuid PRIMARY KEY NOT NULL,
	"outcome" text NOT NULL,
	"opened_day" date NOT NULL,
	"closed_day" date,
	"amount" numeric,
	"owner_id" text,
	"product" text,
	"segment" text,
	"source" text,
	"campaign_id" text,
	"cycle_seconds" double precision
);
--> statement-breakpoint
CREATE TABLE "analytics_deal_rollup" (
	"grain" text NOT NULL,
	"bucket" date NOT NULL,
	"dim" text NOT NULL,
	"value" text,
	"outcome" text NOT NULL,
	"n" integer NOT NULL,
	"amount" numeric NOT NULL,
	CONSTRAINT "analytics_deal_rollup_key" UNIQUE NULLS NOT DISTINCT("dim","grain","bucket","value","outcome")
);
--> statement-breakpoint
CREATE INDEX "analytics_deal_credits_deal_idx" ON "analytics_deal_credits" USING btree ("deal_id");