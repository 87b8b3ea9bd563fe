CREATE TABLE "ingested_extracts" (
	"source" text NOT NULL,
	"task" text NOT NULL,
	"production_date" date NOT NULL,
	"previous_production_date" date,
	"ingested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"summary" jsonb NOT NULL,
	CONSTRAINT "ingested_extracts_pkey" PRIMARY KEY("source","task","production_date")
);
