-- The table of source 003 ("task": title, description). app.js applies this at start
-- (idempotent); it matches what targets/drf-tasks' migration creates, so one row check fits both.
CREATE TABLE IF NOT EXISTS task (
    id          serial       PRIMARY KEY,
    title       varchar(255) NOT NULL,
    description text         NOT NULL
);
