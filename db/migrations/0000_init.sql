CREATE TABLE "contact_details" (
	"person_id" uuid PRIMARY KEY NOT NULL,
	"phone" text,
	"email" text,
	"preferred_language" text,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "person_identifiers" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"value" text NOT NULL,
	"valid_from" date,
	"valid_to" date,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "person_names" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"given_names" text,
	"middle_name" text,
	"family_name" text,
	"addressing_name" text,
	"search_key" text NOT NULL,
	"valid_from" date,
	"valid_to" date,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "persons" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"country" char(2) NOT NULL,
	"birth_date" date,
	"sex" text NOT NULL,
	"status" text DEFAULT 'ACTIVE' NOT NULL,
	"status_date" date,
	"civil_status" text,
	"civil_status_since" date,
	"citizenships" text[] DEFAULT '{}'::text[] NOT NULL,
	"registering_authority" text NOT NULL,
	"registered_on" date,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "protection_markers" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"valid_from" date,
	"valid_to" date,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "addresses" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"country_code" char(2) NOT NULL,
	"municipality_code" text,
	"county_code" text,
	"road_code" text,
	"street_name" text,
	"house_number" text,
	"floor" text,
	"side_door" text,
	"building_number" text,
	"locality" text,
	"postal_code" text,
	"postal_district" text,
	"care_of" text,
	"delivery_lines" text[],
	"standard_address_line" text,
	"emigration_date" date,
	"valid_from" date,
	"valid_to" date,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "municipalities" (
	"code" text PRIMARY KEY NOT NULL,
	"country" char(2) NOT NULL,
	"name" text NOT NULL,
	"county_code" text
);
--> statement-breakpoint
CREATE TABLE "family_relations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"relative_person_id" uuid,
	"relative_name" text,
	"relative_birth_date" date,
	"valid_from" date,
	"valid_to" date,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reserve_identities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"region" text,
	"value" text NOT NULL,
	"given_names" text,
	"family_name" text,
	"birth_date" date,
	"sex" text,
	"stated_address" text,
	"stated_postal_code" text,
	"stated_city" text,
	"stated_country" char(2),
	"issued_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reserve_identity_links" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"reserve_identity_id" uuid NOT NULL,
	"target_kind" text NOT NULL,
	"target_value" text NOT NULL,
	"target_person_id" uuid,
	"linked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"unlinked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "change_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tx_id" "xid8" DEFAULT pg_current_xact_id() NOT NULL,
	"type" text NOT NULL,
	"person_id" uuid,
	"identifier" text,
	"occurred_at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"municipality_before" text,
	"municipality_after" text,
	"birth_date" date,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "event_subscription_filters" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"subscription_id" uuid NOT NULL,
	"filter_group" text NOT NULL,
	"value" text,
	"min_age" integer,
	"max_age" integer
);
--> statement-breakpoint
CREATE TABLE "event_subscriptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_client" text NOT NULL,
	"name" text,
	"catch_all" boolean DEFAULT false NOT NULL,
	"acknowledged_cursor" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"subject" text NOT NULL,
	"client" text,
	"person_id" uuid NOT NULL,
	"fields" text[] NOT NULL,
	"operation_name" text,
	"purpose" text
);
--> statement-breakpoint
ALTER TABLE "contact_details" ADD CONSTRAINT "contact_details_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_identifiers" ADD CONSTRAINT "person_identifiers_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_names" ADD CONSTRAINT "person_names_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_markers" ADD CONSTRAINT "protection_markers_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "addresses" ADD CONSTRAINT "addresses_municipality_code_municipalities_code_fk" FOREIGN KEY ("municipality_code") REFERENCES "public"."municipalities"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reserve_identity_links" ADD CONSTRAINT "reserve_identity_links_reserve_identity_id_reserve_identities_id_fk" FOREIGN KEY ("reserve_identity_id") REFERENCES "public"."reserve_identities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_subscription_filters" ADD CONSTRAINT "event_subscription_filters_subscription_id_event_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."event_subscriptions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "person_identifiers_value_uq" ON "person_identifiers" USING btree ("value");--> statement-breakpoint
CREATE INDEX "person_identifiers_person_idx" ON "person_identifiers" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "person_names_person_idx" ON "person_names" USING btree ("person_id","valid_to");--> statement-breakpoint
CREATE INDEX "persons_birth_date_idx" ON "persons" USING btree ("birth_date");--> statement-breakpoint
CREATE INDEX "protection_markers_person_idx" ON "protection_markers" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "addresses_person_idx" ON "addresses" USING btree ("person_id","valid_to");--> statement-breakpoint
CREATE INDEX "addresses_municipality_idx" ON "addresses" USING btree ("municipality_code");--> statement-breakpoint
CREATE INDEX "family_relations_person_idx" ON "family_relations" USING btree ("person_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "reserve_identities_value_uq" ON "reserve_identities" USING btree ("value");--> statement-breakpoint
CREATE INDEX "reserve_identity_links_reserve_idx" ON "reserve_identity_links" USING btree ("reserve_identity_id");--> statement-breakpoint
CREATE INDEX "reserve_identity_links_person_idx" ON "reserve_identity_links" USING btree ("target_person_id");--> statement-breakpoint
CREATE INDEX "change_events_cursor_idx" ON "change_events" USING btree ("tx_id","id");--> statement-breakpoint
CREATE INDEX "change_events_person_idx" ON "change_events" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "event_subscription_filters_sub_idx" ON "event_subscription_filters" USING btree ("subscription_id","filter_group");--> statement-breakpoint
CREATE INDEX "event_subscriptions_owner_idx" ON "event_subscriptions" USING btree ("owner_client");--> statement-breakpoint
CREATE INDEX "audit_events_person_idx" ON "audit_events" USING btree ("person_id","at");