-- Partition tasks of DataJobs, claimed with leases. A worker (in-process pool, worker process or
-- Kubernetes pod) owns a task while its lease is fresh; an expired lease makes the task claimable
-- again, by anyone, on any cloud the job may use. Portable between H2 (MODE=PostgreSQL) and PostgreSQL.
CREATE TABLE job_tasks (
    job_uid          VARCHAR(36)  NOT NULL,
    task_index       INTEGER      NOT NULL,
    namespace        VARCHAR(253) NOT NULL,
    job_name         VARCHAR(253) NOT NULL,
    table_name       VARCHAR(253) NOT NULL,
    part             INTEGER      NOT NULL,
    parts            INTEGER      NOT NULL,
    cloud            VARCHAR(63)  NOT NULL,
    state            VARCHAR(16)  NOT NULL,
    attempts         INTEGER      NOT NULL,
    lease_owner      VARCHAR(128),
    lease_expires_at TIMESTAMP WITH TIME ZONE,
    result           VARCHAR(65536),
    last_error       VARCHAR(4096),
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (job_uid, task_index)
);
CREATE INDEX ix_job_tasks_claim ON job_tasks (cloud, state, lease_expires_at);
