CREATE TABLE "delivery_chunks" (
	"blob_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "delivery_chunks_blob_id_seq_pk" PRIMARY KEY("blob_id","seq")
);
--> statement-breakpoint
CREATE TABLE "delivery_fetches" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"subject" text NOT NULL,
	"client" text,
	"purpose" text,
	"kind" text NOT NULL,
	"item_id" uuid NOT NULL,
	"part" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "extract_jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_client" text NOT NULL,
	"owner" jsonb NOT NULL,
	"criteria" jsonb NOT NULL,
	"format" text NOT NULL,
	"status" text DEFAULT 'QUEUED' NOT NULL,
	"persons" integer DEFAULT 0 NOT NULL,
	"scanned" integer DEFAULT 0 NOT NULL,
	"total" integer,
	"day" text NOT NULL,
	"cursor" text,
	"blob_id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"chunks" integer DEFAULT 0 NOT NULL,
	"bytes" integer DEFAULT 0 NOT NULL,
	"records" integer DEFAULT 0 NOT NULL,
	"sha256" text,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"cancel_requested" boolean DEFAULT false NOT NULL,
	"error" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notification_file_series" (
	"subscription_id" uuid PRIMARY KEY NOT NULL,
	"owner_client" text NOT NULL,
	"owner" jsonb NOT NULL,
	"cron" text,
	"time_zone" text DEFAULT 'Europe/Copenhagen' NOT NULL,
	"next_run_at" timestamp with time zone,
	"last_slot" timestamp with time zone,
	"last_cursor" text,
	"last_produced_at" timestamp with time zone,
	"sequence" integer DEFAULT 0 NOT NULL,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notification_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"subscription_id" uuid NOT NULL,
	"owner_client" text NOT NULL,
	"sequence" integer NOT NULL,
	"trigger" text NOT NULL,
	"scheduled_for" timestamp with time zone,
	"from_cursor" text,
	"to_cursor" text,
	"produced_at" timestamp with time zone NOT NULL,
	"previous_produced_at" timestamp with time zone,
	"counts" jsonb NOT NULL,
	"parts" jsonb NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "delivery_fetches_item_idx" ON "delivery_fetches" USING btree ("item_id","at");--> statement-breakpoint
CREATE INDEX "extract_jobs_owner_idx" ON "extract_jobs" USING btree ("owner_client","created_at");--> statement-breakpoint
CREATE INDEX "extract_jobs_status_idx" ON "extract_jobs" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "notification_files_sequence_idx" ON "notification_files" USING btree ("subscription_id","sequence");--> statement-breakpoint
CREATE INDEX "notification_files_owner_idx" ON "notification_files" USING btree ("owner_client","produced_at");