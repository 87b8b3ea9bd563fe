ALTER TABLE "addresses" DROP CONSTRAINT "addresses_municipality_code_municipalities_code_fk";
--> statement-breakpoint
-- A municipality code is unique only within its country: key the table by (country, code).
ALTER TABLE "municipalities" DROP CONSTRAINT "municipalities_pkey";--> statement-breakpoint
ALTER TABLE "municipalities" ADD CONSTRAINT "municipalities_pkey" PRIMARY KEY("country","code");--> statement-breakpoint
ALTER TABLE "addresses" ADD CONSTRAINT "addresses_municipality_fk" FOREIGN KEY ("country_code","municipality_code") REFERENCES "public"."municipalities"("country","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "family_relations_relative_idx" ON "family_relations" USING btree ("relative_person_id");
