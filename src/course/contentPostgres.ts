/**
 * PostgreSQL runs of the content check: an exercise whose manifest says `"postgres": true` has a
 * reference solution whose `create_app()` reads `DATABASE_URL`. When a PostgreSQL server answers,
 * its solution's checks run once more with `DATABASE_URL` naming a throwaway database, created
 * before and dropped after (with `psql`). When none answers, the runs are skipped and the reason
 * printed. Node only, no `vscode`; part of ./contentCheck.ts.
 */
import { spawnSync } from 'child_process';
import type { Exercise } from '../engine/catalog';
import { firstLine, GoldenOptions, runTree } from './contentRun';

/** The server's maintenance database, where throwaway databases are created (trust auth on 127.0.0.1). */
export const DEFAULT_POSTGRES_ADMIN_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

/** The URL of database `name` on the server of `adminUrl` (same user, host, port, query). */
export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A database name nobody else uses: lower-case, [a-z0-9_], at most 63 bytes. */
export function throwawayName(exerciseId: string, pid: number, now: number): string {
  return `flask_tutor_${exerciseId.replace(/[^a-z0-9]+/g, '_')}_${pid}_${now.toString(36)}`.slice(0, 63);
}

export type Psql = (adminUrl: string, sql: string) => string | undefined;

/** Runs one SQL statement with `psql`; the error text, or undefined when it worked. */
export const psql: Psql = (adminUrl, sql) => {
  const r = spawnSync('psql', [adminUrl, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql], {
    encoding: 'utf8',
    timeout: 15000,
    env: { ...process.env, PGCONNECT_TIMEOUT: '3' },
  });
  if (r.error) return (r.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'psql is not installed' : r.error.message;
  return r.status === 0 ? undefined : firstLine(r.stderr || `psql exited with ${r.status}`);
};

export interface PostgresResult {
  id: string;
  /** The checks that did not pass on PostgreSQL (empty: all passed). */
  problems: string[];
  passed: number;
  total: number;
}

/** Why PostgreSQL cannot be used (undefined: it answers). */
export function postgresProblem(adminUrl: string, run: Psql = psql): string | undefined {
  const problem = run(adminUrl, 'SELECT 1');
  return problem ? `PostgreSQL at ${new URL(adminUrl).host} is not reachable (${problem})` : undefined;
}

/** Runs each exercise's solution checks against a fresh PostgreSQL database (one at a time). */
export async function postgresRuns(exercises: readonly Exercise[], options: GoldenOptions, adminUrl: string, run: Psql = psql): Promise<PostgresResult[]> {
  const results: PostgresResult[] = [];
  for (const exercise of exercises) {
    const name = throwawayName(exercise.id, process.pid, Date.now());
    const created = run(adminUrl, `CREATE DATABASE ${name}`);
    if (created) {
      results.push({ id: exercise.id, problems: [`postgres: could not create database ${name}: ${created}`], passed: 0, total: 0 });
      continue;
    }
    try {
      const tree = await runTree(exercise, exercise.solutionDir, { ...options, env: { ...options.env, DATABASE_URL: databaseUrl(adminUrl, name) } });
      const problems = tree.verdicts.filter((v) => v.outcome !== 'passed').map((v) => `postgres: solution: ${v.key} ${v.outcome}: ${firstLine(v.messages[0]?.text)}`);
      if (tree.appError) problems.unshift(`postgres: solution: the app does not load (${tree.appError})`);
      if (tree.endReason !== 'completed') problems.push(`postgres: solution: the run ended early (${tree.endReason})`);
      if (!tree.verdicts.length) problems.push('postgres: no checks ran');
      results.push({ id: exercise.id, problems, passed: tree.verdicts.filter((v) => v.outcome === 'passed').length, total: tree.verdicts.length });
    } finally {
      run(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  }
  return results;
}
