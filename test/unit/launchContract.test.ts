/**
 * The launch contract (src/engine/launchContract.ts) and its Python mirror
 * (python/flask_tutor_pytest/_launch.py) say the same thing; worker messages are validated.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ENV, LAUNCH_VERSION, parseWorkerMessage, pytestArgs, SECRET_FD, SUPERVISOR_SCRIPT, WORKER_SCRIPT } from '../../src/engine/launchContract';
import { sameStartup, workerEnv } from '../../src/engine/warmWorker';

const root = path.resolve(__dirname, '../../..');
const mirror = fs.readFileSync(path.join(root, 'python', 'flask_tutor_pytest', '_launch.py'), 'utf8');
const pyConst = (name: string) => mirror.match(new RegExp(`^${name} = (.+)$`, 'm'))?.[1].trim();

describe('launch contract', () => {
  it('the Python mirror has the same version, descriptor and variable names', () => {
    assert.strictEqual(pyConst('LAUNCH_VERSION'), String(LAUNCH_VERSION));
    assert.strictEqual(pyConst('SECRET_FD'), String(SECRET_FD));
    const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
    for (const [key, value] of Object.entries(ENV)) assert.strictEqual(pyConst(`ENV_${snake(key)}`), JSON.stringify(value), key);
    for (const type of ['run', 'quit', 'ready', 'started', 'output', 'exit', 'closed', 'refused']) assert.ok(mirror.includes(`"${type}"`), type);
    for (const script of [SUPERVISOR_SCRIPT, WORKER_SCRIPT]) assert.ok(fs.existsSync(path.join(root, 'python', 'flask_tutor_pytest', script)), script);
  });

  it('pytest runs with our plugin, our ini and importlib imports, on the selected checks', () => {
    const args = pytestArgs({ pluginDir: '/p', checksDir: '/c', selection: ['test_a.py::test_x'] });
    assert.deepStrictEqual(args.slice(0, 4), ['-m', 'pytest', '-p', 'flask_tutor_pytest']);
    assert.ok(args.includes('--import-mode=importlib'));
    assert.strictEqual(args[args.length - 1], path.join('/c', 'test_a.py::test_x'));
  });

  it('accepts the worker messages of this version and refuses the rest', () => {
    assert.deepStrictEqual(parseWorkerMessage('{"type":"started","id":1,"pid":42}'), { type: 'started', id: 1, pid: 42 });
    assert.ok(parseWorkerMessage(`{"type":"ready","v":${LAUNCH_VERSION},"pid":1,"python":"p","preloaded":[],"threads":1,"sitedirs":[]}`));
    assert.strictEqual(parseWorkerMessage(`{"type":"ready","v":${LAUNCH_VERSION + 1},"pid":1}`), undefined);
    assert.strictEqual(parseWorkerMessage('{"type":"output","id":1,"stream":"stdin","text":"x"}'), undefined);
    assert.strictEqual(parseWorkerMessage('{"type":"exit"}'), undefined);
    assert.strictEqual(parseWorkerMessage('not json'), undefined);
    assert.strictEqual(parseWorkerMessage('{"type":"hello","id":1}'), undefined);
  });

  it('a run whose start-up PYTHON* variables differ from the worker’s runs cold; PYTHONPATH is per run', () => {
    const started = workerEnv({ PATH: '/bin', PYTHONPATH: '/x' });
    assert.strictEqual(started.PYTHONPATH, undefined);
    assert.ok(sameStartup({ ...started, PYTHONPATH: '/plugin', FLASK_TUTOR_APP_DIR: '/a' }, started));
    assert.ok(!sameStartup({ ...started, PYTHONHASHSEED: '0' }, started));
    assert.ok(!sameStartup({ ...started, PYTHONIOENCODING: 'latin-1' }, started));
  });
});
