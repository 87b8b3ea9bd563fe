CREATE TABLE "event_subscription_webhooks" (
	"subscription_id" uuid PRIMARY KEY NOT NULL,
	"endpoint" text NOT NULL,
	"secret" text NOT NULL,
	"owner_subject" text NOT NULL,
	"owner_client" text,
	"owner_scopes" text[] NOT NULL,
	"owner_role" text,
	"owner_purpose" text,
	"state" text DEFAULT 'ACTIVE' NOT NULL,
	"position_tx_id" "xid8",
	"position_event_id" bigint,
	"batch_count" integer,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_token" uuid,
	"lease_until" timestamp with time zone,
	"last_error_status" integer,
	"last_error_message" text,
	"last_error_at" timestamp with time zone,
	"last_error_attempts" integer,
	"last_delivered_at" timestamp with time zone,
	"delivered_events" bigint DEFAULT 0 NOT NULL,
	"failed_attempts" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "event_subscription_webhooks" ADD CONSTRAINT "event_subscription_webhooks_subscription_id_event_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."event_subscriptions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "event_subscription_webhooks_due_idx" ON "event_subscription_webhooks" USING btree ("state","next_attempt_at");