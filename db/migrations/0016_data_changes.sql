CREATE TABLE "data_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"weight" bigint DEFAULT 1 NOT NULL
);
