CREATE TABLE "rate_buckets" (
	"id" text PRIMARY KEY NOT NULL,
	"tokens" double precision NOT NULL,
	"at_ms" bigint NOT NULL,
	"last_ok" boolean NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stream_slots" (
	"id" text PRIMARY KEY NOT NULL,
	"caller" text NOT NULL,
	"owner" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "stream_slots_caller" ON "stream_slots" USING btree ("caller","expires_at");--> statement-breakpoint
CREATE INDEX "stream_slots_owner" ON "stream_slots" USING btree ("owner");