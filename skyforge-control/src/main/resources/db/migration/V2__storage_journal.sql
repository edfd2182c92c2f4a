-- The write journal of the data API (docs/storage.md): one row per PUT or DELETE through a logical
-- bucket, read by the sync engine in position order. Portable between H2 (MODE=PostgreSQL) and
-- PostgreSQL 15.

-- Writers take this row's lock and increment it first, so positions are gap-free and commit in
-- order: a reader asking for "entries after N" can never see N+2 before N+1 becomes visible.
CREATE TABLE storage_journal_counter (
    id       INTEGER PRIMARY KEY,
    position BIGINT  NOT NULL
);
INSERT INTO storage_journal_counter (id, position) VALUES (1, 0);

CREATE TABLE storage_journal (
    position        BIGINT        PRIMARY KEY,
    namespace       VARCHAR(253)  NOT NULL,
    bucket          VARCHAR(253)  NOT NULL,
    -- Keys are at most 1,024 UTF-8 bytes, hence at most 1,024 characters.
    object_key      VARCHAR(1024) NOT NULL,
    operation       VARCHAR(16)   NOT NULL,
    etag            VARCHAR(256),
    size_bytes      BIGINT        NOT NULL,
    sha256          VARCHAR(64),
    origin_cloud    VARCHAR(63)   NOT NULL,
    physical_bucket VARCHAR(63)   NOT NULL,
    recorded_at     TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX ix_storage_journal_bucket ON storage_journal (namespace, bucket, position);
