ALTER TABLE "event_subscriptions" ADD COLUMN "acknowledged_tx_id" "xid8";--> statement-breakpoint
ALTER TABLE "event_subscriptions" ADD COLUMN "acknowledged_event_id" bigint;