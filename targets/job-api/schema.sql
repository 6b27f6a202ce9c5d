-- Schema of the job-queue API (source 004). server.py applies it at start (idempotent), so a
-- fresh database needs nothing else; `psql -f schema.sql` does the same by hand.
CREATE TABLE IF NOT EXISTS worker (
    id          bigserial PRIMARY KEY,
    name        text,
    meta        jsonb       NOT NULL DEFAULT '{}',
    jobs_done   bigint      NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now(),
    last_job_at timestamptz
);

-- A job belongs to one worker. States: queued (waiting for the worker's do_job), done, failed.
-- do_job takes the worker's oldest queued job (or creates one) and finishes it; redo puts a done
-- or failed job back in the queue.
CREATE TABLE IF NOT EXISTS job (
    id          bigserial PRIMARY KEY,
    worker_id   bigint      NOT NULL REFERENCES worker (id),
    payload     jsonb       NOT NULL DEFAULT '{}',
    status      text        NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'done', 'failed')),
    attempts    integer     NOT NULL DEFAULT 0,
    redos       integer     NOT NULL DEFAULT 0,
    result      text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz
);

CREATE INDEX IF NOT EXISTS job_worker_status ON job (worker_id, status, id);
