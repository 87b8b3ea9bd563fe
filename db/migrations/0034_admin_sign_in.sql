CREATE TABLE "admin_sign_in_used" (
	"id" text PRIMARY KEY NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "admin_sign_in_used_expires_idx" ON "admin_sign_in_used" USING btree ("expires_at");
