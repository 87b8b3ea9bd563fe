CREATE TABLE "national_reserve_id_serials" (
	"key" text PRIMARY KEY NOT NULL,
	"next" integer NOT NULL
);
--> statement-breakpoint
DROP INDEX "persons_birth_date_idx";--> statement-breakpoint
DROP INDEX "protection_markers_person_idx";--> statement-breakpoint
ALTER TABLE "persons" ADD COLUMN "municipality_code" text;--> statement-breakpoint
CREATE INDEX "person_identifiers_prefix_idx" ON "person_identifiers" USING btree (("value" collate "C"),"person_id");--> statement-breakpoint
CREATE INDEX "person_names_search_idx" ON "person_names" USING gin (to_tsvector('simple'::regconfig, "search_key")) WHERE "person_names"."valid_to" is null;--> statement-breakpoint
CREATE INDEX "persons_municipality_idx" ON "persons" USING btree ("municipality_code","id");--> statement-breakpoint
CREATE INDEX "reserve_identity_links_target_idx" ON "reserve_identity_links" USING btree ("target_value");--> statement-breakpoint
CREATE UNIQUE INDEX "reserve_identity_links_current_uq" ON "reserve_identity_links" USING btree ("reserve_identity_id") WHERE "reserve_identity_links"."unlinked_at" is null;--> statement-breakpoint
CREATE INDEX "persons_birth_date_idx" ON "persons" USING btree ("birth_date","id");--> statement-breakpoint
CREATE INDEX "protection_markers_person_idx" ON "protection_markers" USING btree ("person_id","kind");