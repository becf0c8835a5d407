// Content checks of the course (src/course/contentCheck.ts): manifests, walkthrough and brief
// Markdown, generated walkthroughs up to date, and the golden path (checks fail on every
// starter with check failures, pass on every solution). Prints a table and
// `content: N passed, N failed`; exits non-zero on any problem.
//
//   npm run check:content
//   node scripts/check-content.mjs [EXERCISES_DIR] [options]     (default exercises/)
// Options: --walkthroughs DIR   walkthrough sources (default walkthroughs/)
//          --no-golden          skip running the checks
//          --only ID[,ID…]      golden path for these exercises only
//          --jobs N             exercises run in parallel (default 2)
//          --python PATH        Python for the checks (default $FLASK_TUTOR_PYTHON, else /usr/bin/python3)
//          --plugin-dir DIR     folder holding flask_tutor_pytest (default $FLASK_TUTOR_PLUGIN_DIR, else python/)
//          --postgres URL       server for the PostgreSQL runs of exercises with "postgres": true (default
//                               $FLASK_TUTOR_POSTGRES_URL, else postgresql://postgres@127.0.0.1:5432/postgres);
//                               a throwaway database is created and dropped there with psql
//          --no-postgres        skip the PostgreSQL runs
//          --redis URL          Redis server for the real-Redis runs of exercises whose requirements name
//                               redis or fakeredis (default $FLASK_TUTOR_REDIS_URL, else redis://127.0.0.1:6379;
//                               without a database in the URL each check leases one of databases 1-15)
//          --no-redis           skip the real-Redis runs
//          --amqp URL           RabbitMQ for the real-RabbitMQ runs of exercises whose requirements name pika
//                               (default $FLASK_TUTOR_AMQP_URL, else amqp://guest:guest@127.0.0.1:5672/%2F)
//          --no-amqp            skip the real-RabbitMQ runs
//          --no-services-down   skip the servers-down proof (scripts/check-services-down.mjs: the solution's
//                               checks of one exercise per service kind with the Redis and RabbitMQ URLs on a
//                               closed port and on a silent listener, then required: they fall back, or fail,
//                               within a bound derived from the fixtures' probe timeouts; needs no server)
//          --services-down-all  that proof on every exercise using a service, not the sample
// The golden path itself always runs on fakeredis and the in-memory broker (FLASK_TUTOR_REDIS_URL and
// FLASK_TUTOR_AMQP_URL removed from the checks' environment); see docs/exercise-format.md,
// "Services (Redis)" and "Services (RabbitMQ)".
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { loadContentModule, option, repoRoot } from './gen-walkthroughs.mjs';
import { installedDistributions } from './python-env.mjs';
import { servicesDownRuns } from './check-services-down.mjs';

const args = process.argv.slice(2);
const valued = new Set(['--walkthroughs', '--only', '--jobs', '--python', '--plugin-dir', '--postgres', '--redis', '--amqp']);
const positional = args.filter((a, i) => !a.startsWith('--') && !valued.has(args[i - 1]));
const defaultExercises = path.join(repoRoot, 'exercises');
const defaultWalkthroughs = path.join(repoRoot, 'walkthroughs');
const exercisesDir = path.resolve(positional[0] ?? defaultExercises);
const walkthroughsDir = path.resolve(option(args, '--walkthroughs', defaultWalkthroughs));
const golden = !args.includes('--no-golden');
const only = option(args, '--only', '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const jobs = Number(option(args, '--jobs', '2'));
const pythonArg = option(args, '--python', process.env.FLASK_TUTOR_PYTHON || (fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3'));
// A relative path is made absolute: the checks run in temporary folders.
const python = pythonArg.includes('/') || pythonArg.includes(path.sep) ? path.resolve(pythonArg) : pythonArg;
const pluginDir = path.resolve(option(args, '--plugin-dir', process.env.FLASK_TUTOR_PLUGIN_DIR || path.join(repoRoot, 'python')));
const rel = (p) => path.relative(repoRoot, p).split(path.sep).join('/') || '.';

// Real services (docs/exercise-format.md, "Services (Redis)"): the golden path runs every tree on
// the in-memory stand-in; the real server runs come after it.
const NO_REAL_SERVICES = { FLASK_TUTOR_REDIS_URL: undefined, FLASK_TUTOR_REDIS_REQUIRED: undefined, FLASK_TUTOR_AMQP_URL: undefined, FLASK_TUTOR_AMQP_REQUIRED: undefined };
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
/** An exercise whose pip requirements name redis or fakeredis uses the redis_service fixture. */
const usesRedis = (e) => (e.requirements ?? []).some((line) => /^\s*(redis|fakeredis)\b/i.test(line));

/** Why the Redis server of `url` cannot be used (undefined: it answered PING), within `ms`. */
function redisProblem(url, ms = 1000) {
  let host, port;
  try {
    const u = new URL(url);
    if (u.protocol !== 'redis:') return Promise.resolve(`${url} is not a redis:// URL`);
    host = u.hostname || '127.0.0.1';
    port = Number(u.port || 6379);
  } catch {
    return Promise.resolve(`${url} is not a URL`);
  }
  return new Promise((resolve) => {
    let answer = '';
    const socket = net.createConnection({ host, port });
    const done = (problem) => {
      socket.destroy();
      resolve(problem);
    };
    socket.setTimeout(ms, () => done(`no answer from ${host}:${port} within ${ms} ms`));
    socket.on('error', (error) => done(`${host}:${port}: ${error.code ?? error.message}`));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      answer += chunk.toString('utf8');
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG') ? undefined : `${host}:${port} answered ${JSON.stringify(answer.trim())} to PING`);
    });
  });
}

// RabbitMQ (docs/exercise-format.md, "Services (RabbitMQ)"): exercises whose requirements name pika.
const DEFAULT_AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672/%2F';
const usesAmqp = (e) => (e.requirements ?? []).some((line) => /^\s*pika\b/i.test(line));

/** Why the RabbitMQ of `url` cannot be used (undefined: it answered the AMQP 0-9-1 header with a
 * method frame, Connection.Start), within `ms`. */
function amqpProblem(url, ms = 1000) {
  let host, port;
  try {
    const u = new URL(url);
    if (u.protocol !== 'amqp:') return Promise.resolve(`${url} is not an amqp:// URL`);
    host = u.hostname || '127.0.0.1';
    port = Number(u.port || 5672);
  } catch {
    return Promise.resolve(`${url} is not a URL`);
  }
  return new Promise((resolve) => {
    const socket = net.createConnection({ host, port });
    const done = (problem) => {
      socket.destroy();
      resolve(problem);
    };
    socket.setTimeout(ms, () => done(`no answer from ${host}:${port} within ${ms} ms`));
    socket.on('error', (error) => done(`${host}:${port}: ${error.code ?? error.message}`));
    socket.on('connect', () => socket.write(Buffer.from([0x41, 0x4d, 0x51, 0x50, 0, 0, 9, 1])));
    socket.on('data', (chunk) => done(chunk[0] === 1 ? undefined : `${host}:${port} does not speak AMQP 0-9-1`));
  });
}

/** The solution's and the variants' checks of the pika exercises again on a real RabbitMQ. */
async function amqpRuns(exercises, { python, pluginDir, installed }) {
  const onAmqp = exercises.filter(usesAmqp);
  if (!onAmqp.length) return;
  if (args.includes('--no-amqp')) return console.log(`content: real-RabbitMQ runs of ${onAmqp.length} exercise(s) skipped (--no-amqp)`);
  const amqpUrl = option(args, '--amqp', process.env.FLASK_TUTOR_AMQP_URL || DEFAULT_AMQP_URL);
  const unreachable = await amqpProblem(amqpUrl);
  if (unreachable) return console.log(`content: SKIP the real-RabbitMQ runs of ${onAmqp.map((e) => e.id).join(', ')}: ${unreachable}`);
  console.log(`content: solution and variant checks of ${onAmqp.length} exercise(s) on the RabbitMQ at ${new URL(amqpUrl).host}`);
  const env = { ...NO_REAL_SERVICES, FLASK_TUTOR_AMQP_URL: amqpUrl, FLASK_TUTOR_AMQP_REQUIRED: '1' };
  await realServerRuns(onAmqp, { tag: 'rabbitmq', server: 'RabbitMQ', env }, { python, pluginDir, installed });
}

/**
 * The solution's and the installable variants' checks of `onServer` once more with `env` (a real
 * server's URL, required): each exercise's line, and a problem per check that did not pass.
 */
async function realServerRuns(onServer, { tag, server, env }, { python, pluginDir, installed }) {
  for (const e of onServer) {
    const trees = [['solution', e.solutionDir]];
    for (const v of content.readTreeSpecs(e).variants) {
      const extra = v.spec?.requirements ?? [];
      if (v.spec && !(installed && extra.length && content.unmetRequirements(extra, installed).length)) trees.push([`variant ${v.name}`, v.dir]);
    }
    let passed = 0;
    let total = 0;
    const found = [];
    for (const [label, dir] of trees) {
      const run = await content.runTree(e, dir, { python, pluginDir, installed, env });
      total += run.verdicts.length;
      passed += run.verdicts.filter((v) => v.outcome === 'passed').length;
      if (run.appError) found.push(`${tag}: ${label}: the app does not load (${run.appError})`);
      if (run.endReason !== 'completed') found.push(`${tag}: ${label}: the run ended early (${run.endReason})`);
      for (const v of run.verdicts.filter((x) => x.outcome !== 'passed')) found.push(`${tag}: ${label}: ${v.key} ${v.outcome}: ${content.firstLine(v.messages[0]?.text)}`);
    }
    console.log(`  ${found.length ? 'FAIL' : 'ok  '} ${e.id} on ${server}: ${passed}/${total} checks passed (solution + ${trees.length - 1} variant(s))`);
    for (const message of found) problems.push({ where: e.id, message });
  }
}

const started = Date.now();
const content = await loadContentModule();
const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const schema = JSON.parse(fs.readFileSync(path.join(repoRoot, 'exercises', 'exercise.schema.json'), 'utf8'));

/** Problems by unit: an exercise id, a walkthrough id, "package.json", or "other". */
const problems = [];
const add = (list) => problems.push(...list);

const { problems: manifestProblems, catalog } = content.checkManifests(repoRoot, exercisesDir, schema);
add(manifestProblems);
const commands = content.contributedCommands(pkg);
add(content.checkCommandsContributed(commands));
const snippetCatalog = path.join(repoRoot, 'snippets', 'catalog.json');
const snippetPrefixes = fs.existsSync(snippetCatalog)
  ? new Set(JSON.parse(fs.readFileSync(snippetCatalog, 'utf8')).snippets.map((s) => s.prefix))
  : undefined;
const ctx = { root: repoRoot, commands, exerciseIds: new Set(catalog.exercises.map((e) => e.id)), snippetPrefixes };
add(content.checkBriefs(catalog, ctx));
// Requirements traced to checks, mutant/variant declarations (docs/exercise-format.md).
const trace = content.checkTraceability(catalog, repoRoot);
add(trace.problems);
if (trace.untraced.length) {
  console.log(`content: ${trace.untraced.length} exercise(s) have no "## Requirements" section: ${trace.untraced.join(', ')}`);
}
const gen = content.generateFromDisk(repoRoot, exercisesDir, walkthroughsDir);
add(content.checkWalkthroughs(ctx, walkthroughsDir, gen));
const defaults = exercisesDir === defaultExercises && walkthroughsDir === defaultWalkthroughs;
if (defaults && !content.walkthroughsUpToDate(pkg, gen.walkthroughs)) {
  problems.push({ where: 'package.json', message: 'contributes.walkthroughs is out of date: run `npm run gen:walkthroughs`' });
}

console.log(`content: ${catalog.exercises.length} exercise(s) in ${rel(exercisesDir)}, ${gen.walkthroughs.length} walkthrough(s) from ${rel(walkthroughsDir)}`);
if (!defaults) console.log('content: custom folders: the package.json walkthroughs freshness check is skipped');

let results = [];
let installed;
if (golden) {
  let exercises = catalog.exercises.filter((e) => !only.length || only.includes(e.id));
  // An exercise whose libraries this interpreter lacks (the floor has no Flask-RESTX) is skipped
  // here with the reason printed; the other environment runs it.
  installed = installedDistributions(python);
  if (installed) {
    const skipped = exercises.map((e) => ({ e, unmet: content.unmetRequirements(e.requirements, installed) })).filter((x) => x.unmet.length);
    for (const { e, unmet } of skipped) console.log(`content: SKIP ${e.id} on ${python}: needs ${content.describeUnmet(unmet)}`);
    if (skipped.length) console.log(`content: ${skipped.length} exercise(s) skipped on this Python (their requirements are not installed)`);
    exercises = exercises.filter((e) => !skipped.some((x) => x.e === e));
  }
  const unknown = only.filter((id) => !catalog.byId.has(id));
  unknown.forEach((id) => problems.push({ where: 'other', message: `--only: no exercise ${id}` }));
  if (exercises.length) {
    const pythonProblem = await content.probePython(python);
    const pluginInit = path.join(pluginDir, 'flask_tutor_pytest', '__init__.py');
    if (pythonProblem) problems.push({ where: 'other', message: `golden path not run: ${pythonProblem} (set FLASK_TUTOR_PYTHON or --python)` });
    else if (!fs.existsSync(pluginInit)) problems.push({ where: 'other', message: `golden path not run: the verify plugin is missing (${rel(pluginInit)})` });
    else {
      console.log(`content: golden path of ${exercises.length} exercise(s) with ${python}, ${jobs} at a time`);
      results = await content.goldenPath(exercises, {
        python,
        pluginDir,
        jobs,
        installed,
        env: NO_REAL_SERVICES,
        onResult: (r) => {
          console.log(`  ${r.problems.length ? 'FAIL' : 'ok  '} ${r.id} (${r.ms} ms)`);
          for (const t of [...(r.mutants ?? []), ...(r.variants ?? [])]) if (t.skipped) console.log(`       SKIP ${t.name} on this Python: ${t.skipped}`);
        },
      });
      for (const r of results) for (const message of r.problems) problems.push({ where: r.id, message });
      // Exercises with "postgres": true: the solution's checks again, DATABASE_URL on a throwaway database.
      const onPostgres = exercises.filter((e) => e.postgres === true);
      if (onPostgres.length && args.includes('--no-postgres')) console.log(`content: PostgreSQL runs of ${onPostgres.length} exercise(s) skipped (--no-postgres)`);
      else if (onPostgres.length) {
        const adminUrl = option(args, '--postgres', process.env.FLASK_TUTOR_POSTGRES_URL || content.DEFAULT_POSTGRES_ADMIN_URL);
        const unreachable = content.postgresProblem(adminUrl);
        if (unreachable) console.log(`content: SKIP the PostgreSQL runs of ${onPostgres.map((e) => e.id).join(', ')}: ${unreachable}`);
        else {
          console.log(`content: solution checks of ${onPostgres.length} exercise(s) on PostgreSQL (${new URL(adminUrl).host}), one throwaway database each`);
          const pg = await content.postgresRuns(onPostgres, { python, pluginDir, installed, env: NO_REAL_SERVICES }, adminUrl);
          for (const r of pg) {
            console.log(`  ${r.problems.length ? 'FAIL' : 'ok  '} ${r.id} on PostgreSQL: ${r.passed}/${r.total} passed`);
            for (const message of r.problems) problems.push({ where: r.id, message });
          }
        }
      }
      // Exercises using Redis: the solution's and the variants' checks again on a real server.
      const onRedis = exercises.filter(usesRedis);
      if (onRedis.length && args.includes('--no-redis')) console.log(`content: real-Redis runs of ${onRedis.length} exercise(s) skipped (--no-redis)`);
      else if (onRedis.length) {
        const redisUrl = option(args, '--redis', process.env.FLASK_TUTOR_REDIS_URL || DEFAULT_REDIS_URL);
        const unreachable = await redisProblem(redisUrl);
        if (unreachable) console.log(`content: SKIP the real-Redis runs of ${onRedis.map((e) => e.id).join(', ')}: ${unreachable}`);
        else {
          console.log(`content: solution and variant checks of ${onRedis.length} exercise(s) on the Redis server at ${new URL(redisUrl).host}`);
          const env = { FLASK_TUTOR_REDIS_URL: redisUrl, FLASK_TUTOR_REDIS_REQUIRED: '1' };
          await realServerRuns(onRedis, { tag: 'redis', server: 'Redis', env }, { python, pluginDir, installed });
        }
      }
      await amqpRuns(exercises, { python, pluginDir, installed });
      // Servers down (docs/exercise-format.md, "When a server is down"): fallbacks and required
      // failures within their bound, on a closed port and on a listener that never answers.
      if (args.includes('--no-services-down')) console.log('content: servers-down runs skipped (--no-services-down)');
      else {
        const down = await servicesDownRuns(content, exercises, { python, pluginDir, installed, all: args.includes('--services-down-all') });
        problems.push(...down.problems);
      }
    }
  }
} else {
  console.log('content: golden path skipped (--no-golden)');
}

// Units: every exercise, every walkthrough, package.json; problems elsewhere count as "other".
const units = new Map();
for (const e of catalog.exercises) units.set(e.id, { prefixes: [e.id, rel(e.dir)], problems: [] });
for (const w of gen.walkthroughs) {
  const folder = w.id.replace(/^flaskTutor\./, '');
  units.set(w.id, { prefixes: [w.id, `walkthroughs/${folder}`], problems: [] });
}
units.set('package.json', { prefixes: ['package.json'], problems: [] });
const other = { prefixes: [], problems: [] };
for (const p of problems) {
  const unit = [...units.values()].find((u) => u.prefixes.some((prefix) => p.where === prefix || p.where.startsWith(`${prefix}/`) || p.where.startsWith(`${prefix} `)));
  (unit ?? other).problems.push(p);
}

if (results.length) console.log(`\n${content.goldenTable(results)}`);
if (problems.length) {
  console.log('\nproblems:');
  for (const p of problems) console.log(`  ${p.where}: ${p.message}`);
}
const all = [...units.values(), ...(other.problems.length ? [other] : [])];
const failed = all.filter((u) => u.problems.length).length;
console.log(`\ncontent: ${all.length - failed} passed, ${failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
process.exit(problems.length ? 1 : 0);
