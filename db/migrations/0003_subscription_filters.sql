DROP INDEX "event_subscription_filters_sub_idx";--> statement-breakpoint
CREATE INDEX "change_events_identifier_idx" ON "change_events" USING btree ("identifier","tx_id","id") WHERE "change_events"."identifier" is not null;--> statement-breakpoint
CREATE INDEX "change_events_type_idx" ON "change_events" USING btree ("type","tx_id","id");--> statement-breakpoint
CREATE INDEX "change_events_municipality_after_idx" ON "change_events" USING btree ("municipality_after","tx_id","id") WHERE "change_events"."municipality_after" is not null;--> statement-breakpoint
CREATE INDEX "change_events_municipality_before_idx" ON "change_events" USING btree ("municipality_before","tx_id","id") WHERE "change_events"."municipality_before" is not null;--> statement-breakpoint
ALTER TABLE "event_subscriptions" DROP COLUMN "acknowledged_cursor";--> statement-breakpoint
ALTER TABLE "event_subscription_filters" ADD CONSTRAINT "event_subscription_filters_unique" UNIQUE NULLS NOT DISTINCT("subscription_id","filter_group","value","min_age","max_age");