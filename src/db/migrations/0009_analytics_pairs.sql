CREATE TABLE "analytics_lead_pairs" (
	"grain" text NOT NULL,
	"bucket" date NOT NULL,
	"dim" text NOT NULL,
	"value" text,
	"dim2" text NOT NULL,
	"value2" text,
	"reached" smallint NOT NULL,
	"sql_win" smallint NOT NULL,
	"won_win" smallint NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "analytics_lead_pairs_key" UNIQUE NULLS NOT DISTINCT("dim","dim2","grain","bucket","value","value2","reached","sql_win","won_win")
);
