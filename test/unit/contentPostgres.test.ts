import * as assert from 'assert';
import { databaseUrl, DEFAULT_POSTGRES_ADMIN_URL, postgresProblem, postgresRuns, Psql, throwawayName } from '../../src/course/contentCheck';
import type { Exercise } from '../../src/engine/catalog';

describe('contentPostgres', () => {
  it('names the throwaway database on the admin URL\'s server', () => {
    assert.strictEqual(databaseUrl(DEFAULT_POSTGRES_ADMIN_URL, 'x_1'), 'postgresql://postgres@127.0.0.1:5432/x_1');
    assert.strictEqual(databaseUrl('postgresql://u:p@db:5433/postgres?sslmode=disable', 'x'), 'postgresql://u:p@db:5433/x?sslmode=disable');
  });

  it('makes database names PostgreSQL accepts unquoted', () => {
    const name = throwawayName('p1-tasks-crud', 1234, 1700000000000);
    assert.match(name, /^[a-z_][a-z0-9_]*$/);
    assert.ok(name.length <= 63);
    assert.ok(throwawayName('p1-' + 'x'.repeat(80), 1, 1).length <= 63);
  });

  it('says why PostgreSQL is skipped', () => {
    assert.strictEqual(postgresProblem(DEFAULT_POSTGRES_ADMIN_URL, () => undefined), undefined);
    assert.strictEqual(postgresProblem(DEFAULT_POSTGRES_ADMIN_URL, () => 'psql is not installed'), 'PostgreSQL at 127.0.0.1:5432 is not reachable (psql is not installed)');
  });

  it('reports a database it cannot create, and drops every database it created', async () => {
    const sql: string[] = [];
    const refuse: Psql = (_url, statement) => {
      sql.push(statement);
      return statement.startsWith('CREATE') ? 'permission denied' : undefined;
    };
    const exercise = { id: 'p1-x', solutionDir: '/nonexistent', checksDir: '/nonexistent' } as unknown as Exercise;
    const [result] = await postgresRuns([exercise], { python: 'python3', pluginDir: '/nonexistent' }, DEFAULT_POSTGRES_ADMIN_URL, refuse);
    assert.match(result.problems[0], /could not create database flask_tutor_p1_x_\d+_\w+: permission denied/);
    assert.deepStrictEqual(sql.map((s) => s.split(' ')[0]), ['CREATE']);
  });
});
