CREATE TABLE "field_insights" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid,
	"account_id" uuid,
	"user_id" uuid,
	"kind" text NOT NULL,
	"competitor" text,
	"text" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lead_assignments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"sales_team" text,
	"rule" text NOT NULL,
	"rule_id" uuid,
	"assigned_at" timestamp with time zone NOT NULL,
	"policy_id" uuid,
	"accept_due_at" timestamp with time zone,
	"first_touch_due_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"ended_reason" text
);
--> statement-breakpoint
CREATE TABLE "lead_dispositions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"assignment_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"user_id" uuid,
	"decision" text NOT NULL,
	"reason" text,
	"note" text,
	"decided_at" timestamp with time zone NOT NULL,
	CONSTRAINT "lead_dispositions_assignment_id_unique" UNIQUE("assignment_id"),
	CONSTRAINT "lead_dispositions_decision_check" CHECK ("lead_dispositions"."decision" in ('accepted', 'rejected'))
);
--> statement-breakpoint
CREATE TABLE "marketing_promises" (
	"period" text PRIMARY KEY NOT NULL,
	"mql_volume" integer NOT NULL,
	"min_mql_to_sql_rate" numeric(5, 4) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rep_settings" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"sales_team" text DEFAULT 'default' NOT NULL,
	"time_zone" text DEFAULT 'UTC' NOT NULL,
	"working_days" integer[] DEFAULT '{1,2,3,4,5}'::integer[] NOT NULL,
	"work_start_minute" integer DEFAULT 540 NOT NULL,
	"work_end_minute" integer DEFAULT 1020 NOT NULL,
	"out_of_office_from" timestamp with time zone,
	"out_of_office_until" timestamp with time zone,
	"capacity" integer DEFAULT 25 NOT NULL,
	"weight" integer DEFAULT 1 NOT NULL,
	"manager_id" uuid,
	"active" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "routing_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"position" integer NOT NULL,
	"name" text NOT NULL,
	"conditions" jsonb NOT NULL,
	"assign_to_user_id" uuid,
	"assign_to_team" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sla_policies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"grade" text,
	"accept_within_minutes" double precision NOT NULL,
	"first_touch_within_minutes" double precision NOT NULL,
	"escalate_after_minutes" double precision NOT NULL,
	"reassign_on_escalation" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sla_policies_grade_unique" UNIQUE("grade")
);
--> statement-breakpoint
CREATE TABLE "sla_timers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"assignment_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"fired_at" timestamp with time zone,
	"outcome" text,
	"alerted_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "field_insights" ADD CONSTRAINT "field_insights_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "field_insights" ADD CONSTRAINT "field_insights_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "field_insights" ADD CONSTRAINT "field_insights_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_assignments" ADD CONSTRAINT "lead_assignments_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_assignments" ADD CONSTRAINT "lead_assignments_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_dispositions" ADD CONSTRAINT "lead_dispositions_assignment_id_lead_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."lead_assignments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_dispositions" ADD CONSTRAINT "lead_dispositions_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_dispositions" ADD CONSTRAINT "lead_dispositions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rep_settings" ADD CONSTRAINT "rep_settings_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rep_settings" ADD CONSTRAINT "rep_settings_manager_id_users_id_fk" FOREIGN KEY ("manager_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_rules" ADD CONSTRAINT "routing_rules_assign_to_user_id_users_id_fk" FOREIGN KEY ("assign_to_user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_timers" ADD CONSTRAINT "sla_timers_assignment_id_lead_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."lead_assignments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_timers" ADD CONSTRAINT "sla_timers_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_timers" ADD CONSTRAINT "sla_timers_alerted_user_id_users_id_fk" FOREIGN KEY ("alerted_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "field_insights_created_idx" ON "field_insights" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "lead_assignments_open_idx" ON "lead_assignments" USING btree ("person_id") WHERE "lead_assignments"."ended_at" IS NULL;--> statement-breakpoint
CREATE INDEX "lead_assignments_user_idx" ON "lead_assignments" USING btree ("user_id","assigned_at");--> statement-breakpoint
CREATE INDEX "lead_assignments_assigned_idx" ON "lead_assignments" USING btree ("assigned_at");--> statement-breakpoint
CREATE INDEX "lead_dispositions_person_idx" ON "lead_dispositions" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "lead_dispositions_decided_idx" ON "lead_dispositions" USING btree ("decided_at");--> statement-breakpoint
CREATE UNIQUE INDEX "sla_timers_assignment_kind_idx" ON "sla_timers" USING btree ("assignment_id","kind");--> statement-breakpoint
CREATE INDEX "sla_timers_due_idx" ON "sla_timers" USING btree ("due_at");