import * as assert from 'assert';
import { hangSite, parseFaultStack } from '../../src/core/hang';

const dump = [
  'Current thread 0x00007f3c2a1b4740 (most recent call first):',
  '  File "/usr/lib/python3/dist-packages/re.py", line 200 in match',
  '  File "/home/me/ex/routes/tasks.py", line 12 in spin',
  '  File "/home/me/ex/app.py", line 30 in create_app',
  '  File "/usr/lib/python3/dist-packages/flask/app.py", line 1820 in full_dispatch_request',
  '',
  'Thread 0x00007f3c11111111 (most recent call first):',
  '  File "/home/me/ex/worker.py", line 3 in loop',
].join('\n');

describe('hang: where a stopped run was (faulthandler dump)', () => {
  it('reads the frames of the first thread only, most recent first', () => {
    const frames = parseFaultStack(dump);
    assert.deepStrictEqual(frames.map((f) => `${f.file}:${f.line}:${f.func}`), [
      '/usr/lib/python3/dist-packages/re.py:200:match',
      '/home/me/ex/routes/tasks.py:12:spin',
      '/home/me/ex/app.py:30:create_app',
      '/usr/lib/python3/dist-packages/flask/app.py:1820:full_dispatch_request',
    ]);
  });

  it("names the innermost frame of the learner's folder, relative to it", () => {
    assert.deepStrictEqual(hangSite(dump, '/home/me/ex'), {
      location: { file: '/home/me/ex/routes/tasks.py', line: 12 },
      where: 'routes/tasks.py, line 12 (in spin)',
    });
  });

  it('says nothing when no frame is the learner\'s, or the dump is empty or garbled', () => {
    assert.strictEqual(hangSite(dump, '/elsewhere'), undefined);
    assert.strictEqual(hangSite('', '/home/me/ex'), undefined);
    assert.strictEqual(hangSite('Fatal Python error: Segmentation fault\n<no Python frame>', '/home/me/ex'), undefined);
  });
});
