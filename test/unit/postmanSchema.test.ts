import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/**
 * scripts/postman-schema.mjs: the demos' Postman collections are valid against the vendored Postman
 * Collection v2.1.0 schema, and broken collections are rejected with the JSON pointer of each bad value.
 */
const ROOT = path.resolve(__dirname, '../../..');
const SCRIPT = path.join(ROOT, 'scripts', 'postman-schema.mjs');

function problems(collections: unknown[]): string[][] {
  const out = execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { postmanSchemaProblems } from ${JSON.stringify(SCRIPT)};
       const all = JSON.parse(process.argv[1]);
       console.log(JSON.stringify(await Promise.all(all.map(postmanSchemaProblems))));`,
      JSON.stringify(collections),
    ],
    { encoding: 'utf8' },
  );
  return JSON.parse(out) as string[][];
}

const V21 = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';
const minimal = () => ({
  info: { name: 'test', schema: V21 },
  item: [
    {
      name: 'create',
      request: {
        method: 'POST',
        header: [{ key: 'Content-Type', value: 'application/json' }],
        body: { mode: 'raw', raw: '{"title": "x"}' },
        url: { raw: '{{baseUrl}}/api/books', host: ['{{baseUrl}}'], path: ['api', 'books'] },
      },
    },
  ],
  variable: [{ key: 'baseUrl', value: 'http://127.0.0.1:5001' }],
});

describe('scripts/postman-schema.mjs', () => {
  it('vendors the schema with its source and licence', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'scripts/schemas/postman-collection-v2.1.0.json'), 'utf8'));
    assert.strictEqual(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    assert.match(schema.$id, /collection\/v2\.1\.0/);
    const note = fs.readFileSync(path.join(ROOT, 'scripts/schemas/README.md'), 'utf8');
    assert.match(note, /@har-sdk\/validator/);
    assert.match(note, /Apache-2\.0/);
    assert.match(note, /MIT/);
  });

  it('accepts every demo collection and a minimal one', () => {
    const demos = path.join(ROOT, 'demos');
    const files = fs
      .readdirSync(demos)
      .map((d) => path.join(demos, d, 'postman_collection.json'))
      .filter((f) => fs.existsSync(f));
    assert.ok(files.length > 0, 'no demo collections found');
    const collections = files.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as unknown);
    const found = problems([minimal(), ...collections]);
    found.forEach((list, i) => assert.deepStrictEqual(list, [], i === 0 ? 'minimal collection' : files[i - 1]));
  });

  it('rejects broken collections with the path of each bad value', () => {
    const noName = minimal() as Record<string, unknown> & { info: Record<string, unknown> };
    delete noName.info.name;
    const numericMethod = minimal();
    (numericMethod.item[0].request as Record<string, unknown>).method = 5;
    const headerWithoutValue = minimal();
    (headerWithoutValue.item[0].request.header as unknown[]) = [{ key: 'X-Tenant-ID' }];
    const unknownBodyMode = minimal();
    unknownBodyMode.item[0].request.body.mode = 'yaml';
    const noItems = { info: minimal().info };
    const [a, b, c, d, e] = problems([noName, numericMethod, headerWithoutValue, unknownBodyMode, noItems]);
    assert.ok(a.includes("/info: must have required property 'name'"), a.join('\n'));
    assert.ok(b.includes('/item/0/request/method: must be string'), b.join('\n'));
    assert.ok(c.includes("/item/0/request/header/0: must have required property 'value'"), c.join('\n'));
    assert.ok(d.some((p) => p.startsWith('/item/0/request/body/mode: must be equal to one of the allowed values')), d.join('\n'));
    assert.ok(e.includes("/: must have required property 'item'"), e.join('\n'));
  });
});
