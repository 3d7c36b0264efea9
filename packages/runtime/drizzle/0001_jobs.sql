CREATE TABLE "jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"api_key_id" text,
	"scope" text NOT NULL,
	"idempotency_key" text,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"request" jsonb NOT NULL,
	"cues_total" integer DEFAULT 0 NOT NULL,
	"cues_done" integer DEFAULT 0 NOT NULL,
	"resume_index" integer DEFAULT 0 NOT NULL,
	"resume_sample" integer DEFAULT 0 NOT NULL,
	"report" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error" jsonb,
	"audio_file" text,
	"audio_bytes" integer,
	"audio_ms" integer,
	"lease_owner" text,
	"lease_expires_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"expires_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_idempotency" ON "jobs" USING btree ("scope","idempotency_key");--> statement-breakpoint
CREATE INDEX "jobs_runnable" ON "jobs" USING btree ("status","lease_expires_at");--> statement-breakpoint
CREATE INDEX "jobs_expires" ON "jobs" USING btree ("expires_at");