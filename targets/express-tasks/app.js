'use strict';
// Source 003's Node side: Express + Knex (PostgreSQL) writing the task form POSTs.
//
//   POST /api/tasks   title=...&description=... (form, or JSON)  -> 201 {"id", "title", "description"}
//   GET  /api/tasks/:id                                          -> 200 the row, or 404
//   GET  /health                                                 -> 200 {"status": "ok", "pid"}
//
// PORT (default 3000) on 127.0.0.1; the database from DATABASE_URL (a libpq URL) or, when it
// is unset, node-postgres's PGHOST, PGPORT, PGUSER, PGPASSWORD and PGDATABASE; PG_POOL_MAX
// connections per process (Knex's default, 10). Run it with `node app.js` or under PM2
// (serve.sh); see README.md.
const fs = require('fs');
const path = require('path');
const express = require('express');
const knex = require('knex');

const port = Number(process.env.PORT || 3000);
const db = knex({
  client: 'pg',
  // An empty object lets node-postgres take every setting from the PG* variables.
  connection: process.env.DATABASE_URL || {},
  pool: { min: 0, max: Number(process.env.PG_POOL_MAX || 10) },
});

// Several PM2 cluster instances start at once: one of them creates the table at a time.
async function applySchema() {
  const sql = fs.readFileSync(path.join(__dirname, 'schema.sql'), 'utf8');
  await db.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(3003)');
    await trx.raw(sql);
  });
}

function badRequest(res, message) {
  res.status(400).json({ error: message });
}

const app = express();
app.disable('x-powered-by');
app.use(express.urlencoded({ extended: false }));
app.use(express.json());

app.get('/health', (req, res) => {
  res.json({ status: 'ok', pid: process.pid });
});

app.post('/api/tasks', async (req, res, next) => {
  const { title, description } = req.body || {};
  if (typeof title !== 'string' || title === '' || title.length > 255) {
    return badRequest(res, 'title: a string of 1 to 255 characters is required');
  }
  if (typeof description !== 'string') {
    return badRequest(res, 'description: a string is required');
  }
  try {
    const [row] = await db('task').insert({ title, description }).returning(['id', 'title', 'description']);
    return res.status(201).json(row);
  } catch (err) {
    return next(err);
  }
});

app.get('/api/tasks/:id(\\d+)', async (req, res, next) => {
  try {
    const row = await db('task').select('id', 'title', 'description').where({ id: Number(req.params.id) }).first();
    return row ? res.json(row) : res.status(404).json({ error: `no task ${req.params.id}` });
  } catch (err) {
    return next(err);
  }
});

// eslint-disable-next-line no-unused-vars
app.use((err, req, res, next) => {
  console.error(err);
  if (err.type === 'entity.parse.failed') return badRequest(res, 'body is not valid JSON');
  return res.status(500).json({ error: 'internal error' });
});

async function main() {
  await applySchema();
  const server = app.listen(port, '127.0.0.1', () => {
    console.error(`express-tasks: pid ${process.pid} listening on 127.0.0.1:${port}`);
  });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.close();
    server.closeIdleConnections();
    // Requests in progress get a moment; then the process goes, whatever is still open.
    setTimeout(() => process.exit(0), 1500).unref();
    db.destroy().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop); // PM2 stops its apps with SIGINT
  // Under PM2 the app has an IPC channel to PM2's daemon, which closes when the daemon dies,
  // even by SIGKILL. PM2's fork mode starts the app in a session of its own (detached), out of
  // reach of a signal to the runner's process group; @pm2/io would exit it at its next metrics
  // report, this exits it at once and without @pm2/io.
  if (process.send) process.on('disconnect', stop);
}

main().catch((err) => {
  console.error(`express-tasks: cannot start: ${err.message}`);
  process.exit(1);
});
