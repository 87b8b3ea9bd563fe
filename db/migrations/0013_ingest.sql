CREATE TABLE "ingest_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"subject" text NOT NULL,
	"client" text,
	"format" text NOT NULL,
	"file_sha256" text NOT NULL,
	"file_bytes" bigint NOT NULL,
	"task" text,
	"production_date" date,
	"accepted" boolean NOT NULL,
	"forced" boolean NOT NULL,
	"summary" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ingested_extracts" (
	"source" text NOT NULL,
	"task" text NOT NULL,
	"production_date" date NOT NULL,
	"previous_production_date" date,
	"ingested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"summary" jsonb NOT NULL,
	CONSTRAINT "ingested_extracts_pkey" PRIMARY KEY("source","task","production_date")
);
