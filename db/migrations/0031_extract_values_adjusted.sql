ALTER TABLE "extract_jobs" ADD COLUMN "values_adjusted" jsonb;
