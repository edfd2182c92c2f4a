-- Worker processes (`skyforge worker`) as the control plane last heard from them: each claim,
-- heartbeat or report records its owner and time per cloud, so every control-plane replica can tell
-- whether a `compute.type: worker` cloud has live workers (docs/workers.md). Portable between H2
-- (MODE=PostgreSQL) and PostgreSQL.
CREATE TABLE compute_workers (
    cloud     VARCHAR(63)  NOT NULL,
    owner     VARCHAR(128) NOT NULL,
    last_seen TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (cloud, owner)
);
