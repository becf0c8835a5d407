// "No check waits longer than its timeout when a server is down" (docs/exercise-format.md,
// "When a server is down"), proved on the real checks of Part 2 through the same engine as
// Verify (src/course/contentRun.ts), with no server at all.
//
// Every exercise whose requirements name redis/fakeredis (redis_service, celery_service) or pika
// (amqp_service): its solution's checks run
//   stand-in      no FLASK_TUTOR_*_URL (a learner without servers): the reference durations
//   closed        both URLs on a port of 127.0.0.1 nothing listens on
//   hole          both URLs on a local listener (started here) that accepts and never answers
// and every check must pass, its output name the stand-in and why (the URL that did not answer,
// how to start the server), and take at most its stand-in duration x 1.5 + the probe timeouts
// of the services it uses (PROBE_TIMEOUT of services.py / services_amqp.py) + 2 s of slack for a
// loaded machine. Then, for one exercise per kind (SERVICES_DOWN_SAMPLE; a required server that
// does not answer fails the check in the fixture, before the exercise's code runs), the same two
// dead URLs with FLASK_TUTOR_REDIS_REQUIRED=1 and FLASK_TUTOR_AMQP_REQUIRED=1: every check fails
// (the run completes: nothing hangs), its message says how to start the server, within the probe
// timeouts + 2 s.
//
// check-content.mjs runs it after the real-server runs (--no-services-down skips it,
// --services-down-all runs the required cases on every exercise). Standalone:
//   node scripts/check-services-down.mjs [--python PATH] [--only ID,...] [--all] [--json FILE]
// prints one line of durations per exercise and `services-down: N passed, N failed`.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** One exercise per kind, run on every Python of the content tier. */
export const SERVICES_DOWN_SAMPLE = ['c07-tags', 'c06-reports', 'c08-event-bus'];
/** Added to every bound: the machine running the tests is shared and loaded. */
export const SLACK_MS = 2000;
const FALLBACK_FACTOR = 1.5;

const NO_REAL_SERVICES = { FLASK_TUTOR_REDIS_URL: undefined, FLASK_TUTOR_REDIS_REQUIRED: undefined, FLASK_TUTOR_AMQP_URL: undefined, FLASK_TUTOR_AMQP_REQUIRED: undefined };

/** The services an exercise's checks use, from its pip requirements (as check-content.mjs). */
export function serviceKinds(e) {
  const names = (e.requirements ?? []).map((line) => line.trim().toLowerCase());
  const has = (re) => names.some((n) => re.test(n));
  const kinds = [];
  if (has(/^celery\b/)) kinds.push('celery');
  if (has(/^(redis|fakeredis)\b/)) kinds.push('redis');
  if (has(/^pika\b/)) kinds.push('amqp');
  return kinds;
}

/** The probe timeouts of the fixtures, in ms, read from their modules: the part of a fallback
 * that a dead server may cost (once per run, in the first check). */
export function probeTimeouts(pluginDir) {
  const read = (file) => {
    const text = fs.readFileSync(path.join(pluginDir, 'flask_tutor_pytest', file), 'utf8');
    const m = /^PROBE_TIMEOUT\s*=\s*([\d.]+)/m.exec(text);
    if (!m) throw new Error(`no PROBE_TIMEOUT in ${file}`);
    return Math.round(Number(m[1]) * 1000);
  };
  return { redis: read('services.py'), amqp: read('services_amqp.py') };
}

/** A local TCP listener that accepts connections and never sends a byte; `seen()` counts them. */
export function blackHole() {
  return new Promise((resolve, reject) => {
    const sockets = new Set();
    let seen = 0;
    const server = net.createServer((socket) => {
      seen++;
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => sockets.delete(socket));
      socket.resume(); // reads what the client sends, never answers: the client's own timeout must end it
    });
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: server.address().port,
        seen: () => seen,
        close: () =>
          new Promise((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      }),
    );
  });
}

/** A port of 127.0.0.1 nothing listens on (bound then closed). */
export function closedPort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const urls = (port) => ({
  FLASK_TUTOR_REDIS_URL: `redis://127.0.0.1:${port}/15`,
  FLASK_TUTOR_AMQP_URL: `amqp://guest:guest@127.0.0.1:${port}/%2F`,
});
const REQUIRED = { FLASK_TUTOR_REDIS_REQUIRED: '1', FLASK_TUTOR_AMQP_REQUIRED: '1' };

/** What each fallback check's output must say, per service used. */
function fallbackLines(kinds, port) {
  const lines = [];
  if (kinds.includes('redis') || kinds.includes('celery')) {
    lines.push(`Redis: fakeredis, in memory (no Redis answered at redis://127.0.0.1:${port}/15`, 'To run the checks against a real Redis, start one');
  }
  if (kinds.includes('celery')) lines.push('Celery: a worker in the check process, in-memory broker (memory://)');
  if (kinds.includes('amqp')) {
    lines.push(`RabbitMQ: an in-memory broker (no RabbitMQ answered at amqp://guest:***@127.0.0.1:${port}/%2F`, 'To run the checks against a real RabbitMQ, start one');
  }
  return lines;
}

/** What each required check's message must say (the first service the checks set up). */
function requiredLines(kinds) {
  if (kinds.includes('redis') || kinds.includes('celery')) return ['FLASK_TUTOR_REDIS_REQUIRED=1 asks for a real server', 'docker run --rm -p 6379:6379 redis:7'];
  return ['FLASK_TUTOR_AMQP_REQUIRED=1 asks for a real server', 'docker run --rm -p 5672:5672 rabbitmq:3'];
}

const firstLine = (text) => (text ?? '').trim().split('\n')[0].slice(0, 200);

/**
 * Runs the proof on `exercises` (already filtered to this Python). Returns
 * { problems: [{ where, message }], rows: [...] } and prints one line per exercise and scenario.
 */
export async function servicesDownRuns(content, exercises, { python, pluginDir, installed, all = false, log = console.log }) {
  const problems = [];
  const rows = [];
  const picked = exercises.map((e) => ({ e, kinds: serviceKinds(e) })).filter((x) => x.kinds.length);
  // A required server that does not answer fails the check in the fixture, before any code of
  // the exercise runs: one exercise per kind shows it (the sample, else the first of its kind).
  const requiredFor = new Set(all ? picked.map((x) => x.e) : []);
  if (!all) {
    for (const kind of ['redis', 'celery', 'amqp']) {
      const ofKind = picked.filter((x) => (kind === 'redis' ? x.kinds.length === 1 && x.kinds[0] === 'redis' : x.kinds.includes(kind)));
      const choice = ofKind.find((x) => SERVICES_DOWN_SAMPLE.includes(x.e.id)) ?? ofKind[0];
      if (choice) requiredFor.add(choice.e);
    }
  }
  if (!picked.length) return { problems, rows };
  const probes = probeTimeouts(pluginDir);
  const hole = await blackHole();
  const closed = await closedPort();
  log(`content: servers down (closed port ${closed}, black hole ${hole.port}): the solution's checks of ${picked.length} exercise(s) fall back; required servers: ${[...requiredFor].map((e) => e.id).join(', ')}`);
  try {
    for (const { e, kinds } of picked) {
      const probeMs = (kinds.includes('redis') || kinds.includes('celery') ? probes.redis : 0) + (kinds.includes('amqp') ? probes.amqp : 0);
      const run = (env) => content.runTree(e, e.solutionDir, { python, pluginDir, installed, env: { ...NO_REAL_SERVICES, ...env } });
      const standIn = await run({});
      const base = new Map(standIn.verdicts.map((v) => [v.key, v]));
      const found = [];
      if (standIn.endReason !== 'completed' || standIn.verdicts.some((v) => v.outcome !== 'passed')) {
        // the golden path reports it; a dead server cannot be judged against a failing reference
        log(`  FAIL ${e.id}: its solution does not pass on the stand-in (${standIn.endReason}); servers-down runs not made`);
        problems.push({ where: e.id, message: 'servers down: the solution does not pass on the stand-in (no URL set): see the golden path' });
        continue;
      }
      const row = { id: e.id, kinds, probeMs, checks: standIn.verdicts.length, standIn: summary(standIn) };
      const scenarios = [
        ['closed', closed, urls(closed), false],
        ['hole', hole.port, urls(hole.port), false],
      ];
      if (requiredFor.has(e)) scenarios.push(['required closed', closed, { ...urls(closed), ...REQUIRED }, true], ['required hole', hole.port, { ...urls(hole.port), ...REQUIRED }, true]);
      for (const [name, port, env, required] of scenarios) {
        const before = hole.seen();
        const r = await run(env);
        row[name] = summary(r);
        const say = (message) => found.push(`${name}: ${message}`);
        if (r.endReason !== 'completed') say(`the run ended early (${r.endReason}): a check waited for the dead server`);
        if (r.appError) say(`the app does not load (${r.appError})`);
        if (r.verdicts.length !== standIn.verdicts.length) say(`${r.verdicts.length} checks, ${standIn.verdicts.length} on the stand-in`);
        if (port === hole.port && hole.seen() === before) say('no connection reached the black hole: the URL was not tried');
        for (const v of r.verdicts) {
          const ref = base.get(v.key)?.durationMs ?? 0;
          const bound = required ? probeMs + SLACK_MS : Math.round(ref * FALLBACK_FACTOR) + probeMs + SLACK_MS;
          if (v.durationMs > bound) say(`${v.key} took ${v.durationMs} ms (stand-in ${ref} ms, bound ${bound} ms)`);
          if (!required) {
            if (v.outcome !== 'passed') say(`${v.key} ${v.outcome} instead of falling back: ${firstLine(v.messages[0]?.text)}`);
            const missing = fallbackLines(kinds, port).filter((line) => !v.output.includes(line));
            if (missing.length) say(`${v.key}: its output does not say ${JSON.stringify(missing[0])} (output: ${JSON.stringify(v.output.slice(0, 300))})`);
          } else {
            if (v.outcome === 'passed') say(`${v.key} passed although a real server was required and none answered`);
            const text = v.messages.map((m) => m.text).join('\n');
            const missing = requiredLines(kinds).filter((line) => !text.includes(line));
            if (missing.length) say(`${v.key}: its message does not say ${JSON.stringify(missing[0])} (message: ${JSON.stringify(firstLine(text))})`);
          }
        }
      }
      rows.push(row);
      const cells = ['closed', 'hole', 'required closed', 'required hole'].filter((n) => row[n]).map((n) => ` | ${n} ${cell(row[n])}`).join('');
      log(`  ${found.length ? 'FAIL' : 'ok  '} ${e.id} (${kinds.join('+')}, ${row.checks} checks, probe ${probeMs} ms) stand-in ${cell(row.standIn)}${cells}`);
      for (const message of found) problems.push({ where: e.id, message: `servers down: ${message}` });
    }
  } finally {
    await hole.close();
  }
  return { problems, rows };
}

const cell = (s) => `${s.maxMs} ms max, ${s.totalMs} ms total`;

/** Per-check durations of a run: the longest, the first check's (it pays the probe), the sum. */
function summary(run) {
  const ms = run.verdicts.map((v) => v.durationMs);
  return { maxMs: ms.length ? Math.max(...ms) : 0, firstMs: ms[0] ?? 0, totalMs: ms.reduce((a, b) => a + b, 0), wallMs: run.ms, outcomes: countOutcomes(run) };
}

function countOutcomes(run) {
  const counts = {};
  for (const v of run.verdicts) counts[v.outcome] = (counts[v.outcome] ?? 0) + 1;
  return counts;
}

// Standalone (see the top of the file).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { loadContentModule, option, repoRoot } = await import('./gen-walkthroughs.mjs');
  const { installedDistributions } = await import('./python-env.mjs');
  const args = process.argv.slice(2);
  const started = Date.now();
  const python = path.resolve(option(args, '--python', process.env.FLASK_TUTOR_PYTHON || '/usr/bin/python3'));
  const pluginDir = path.resolve(option(args, '--plugin-dir', process.env.FLASK_TUTOR_PLUGIN_DIR || path.join(repoRoot, 'python')));
  const only = option(args, '--only', '').split(',').map((s) => s.trim()).filter(Boolean);
  const content = await loadContentModule();
  const schema = JSON.parse(fs.readFileSync(path.join(repoRoot, 'exercises', 'exercise.schema.json'), 'utf8'));
  const { catalog } = content.checkManifests(repoRoot, path.join(repoRoot, 'exercises'), schema);
  const installed = installedDistributions(python);
  let exercises = catalog.exercises.filter((e) => !only.length || only.includes(e.id));
  if (installed) exercises = exercises.filter((e) => !content.unmetRequirements(e.requirements, installed).length);
  const { problems, rows } = await servicesDownRuns(content, exercises, { python, pluginDir, installed, all: args.includes('--all') });
  const json = option(args, '--json', '');
  if (json) fs.writeFileSync(json, JSON.stringify({ python, rows }, null, 2));
  for (const p of problems) console.log(`  ${p.where}: ${p.message}`);
  const failed = new Set(problems.map((p) => p.where)).size;
  console.log(`services-down: ${rows.length - failed} passed, ${failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  process.exit(problems.length ? 1 : 0);
}
