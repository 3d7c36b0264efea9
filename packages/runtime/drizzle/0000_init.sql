CREATE TABLE "mirror_blobs" (
	"sha256" text PRIMARY KEY NOT NULL,
	"size" bigint NOT NULL,
	"stored_at" timestamp with time zone DEFAULT now() NOT NULL,
	"verified_at" timestamp with time zone DEFAULT now() NOT NULL,
	"quarantined_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "mirror_files" (
	"id" serial PRIMARY KEY NOT NULL,
	"revision_id" integer NOT NULL,
	"path" text NOT NULL,
	"size" bigint NOT NULL,
	"sha256" text NOT NULL,
	"git_oid" text,
	"lfs" boolean DEFAULT false NOT NULL,
	"upstream" text NOT NULL,
	"fetched_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mirror_repos" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mirror_repos_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "mirror_revisions" (
	"id" serial PRIMARY KEY NOT NULL,
	"repo_id" integer NOT NULL,
	"revision" text NOT NULL,
	"commit" text NOT NULL,
	"file_count" integer DEFAULT 0 NOT NULL,
	"resolved_from" text,
	"resolved_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "mirror_sync_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"repo" text NOT NULL,
	"revision" text NOT NULL,
	"instance" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"outcome" text DEFAULT 'running' NOT NULL,
	"commit" text,
	"files_fetched" integer DEFAULT 0 NOT NULL,
	"bytes_fetched" bigint DEFAULT 0 NOT NULL,
	"detail" text
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"key_prefix" text NOT NULL,
	"key_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"rate_limit_per_minute" integer,
	"max_streams" integer,
	CONSTRAINT "api_keys_key_hash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "speech_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"api_key_id" text,
	"route" text NOT NULL,
	"model" text,
	"voice" text,
	"input_chars" integer DEFAULT 0 NOT NULL,
	"response_format" text,
	"status" text NOT NULL,
	"error_code" text,
	"ttfa_ms" integer,
	"audio_seconds" real,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "mirror_files" ADD CONSTRAINT "mirror_files_revision_id_mirror_revisions_id_fk" FOREIGN KEY ("revision_id") REFERENCES "public"."mirror_revisions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mirror_revisions" ADD CONSTRAINT "mirror_revisions_repo_id_mirror_repos_id_fk" FOREIGN KEY ("repo_id") REFERENCES "public"."mirror_repos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "speech_requests" ADD CONSTRAINT "speech_requests_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "mirror_files_revision_path" ON "mirror_files" USING btree ("revision_id","path");--> statement-breakpoint
CREATE INDEX "mirror_files_sha256" ON "mirror_files" USING btree ("sha256");--> statement-breakpoint
CREATE UNIQUE INDEX "mirror_revisions_repo_rev_commit" ON "mirror_revisions" USING btree ("repo_id","revision","commit");--> statement-breakpoint
CREATE INDEX "mirror_revisions_completed" ON "mirror_revisions" USING btree ("repo_id","revision","completed_at");--> statement-breakpoint
CREATE INDEX "mirror_sync_runs_repo" ON "mirror_sync_runs" USING btree ("repo","started_at");--> statement-breakpoint
CREATE INDEX "speech_requests_created" ON "speech_requests" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "speech_requests_key" ON "speech_requests" USING btree ("api_key_id","created_at");