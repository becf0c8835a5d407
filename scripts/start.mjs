// `npm start`: the course in a browser. Builds and packages the extension, installs the .vsix into
// .cache/start/extensions, and serves VS Code (code-server) on a course workspace
// (.cache/start/workspace, created once) at http://127.0.0.1:8080 until Ctrl+C.
//   npm start -- --port 9000     or   PORT=9000 npm start
// Needs the network only the first time (installing VS Code into .cache/vscode-server).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setup } from './setup.mjs';
import { ensureServer, installVsix, repoRoot, startServer } from './vscode-server.mjs';

const portFlag = process.argv.indexOf('--port');
const port = Number(portFlag >= 0 ? process.argv[portFlag + 1] : process.env.PORT || 8080);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`start: invalid port "${portFlag >= 0 ? process.argv[portFlag + 1] : process.env.PORT}"`);
  process.exit(2);
}
const startDir = path.join(repoRoot, '.cache', 'start');
const workspace = path.join(startDir, 'workspace');

// npm dependencies and system packages first: quick when nothing changed, and a missing system
// package stops here with the command to run, before minutes of other work.
setup('start');
await ensureServer();
const packaged = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'package.mjs')], { cwd: repoRoot, encoding: 'utf8' });
if (packaged.status !== 0) {
  console.error(`${packaged.stdout}${packaged.stderr}\nstart: packaging the extension failed`);
  process.exit(1);
}
console.log(packaged.stdout.trim().split('\n').pop());
await installVsix(path.join(repoRoot, 'flask-backend-tutor.vsix'), path.join(startDir, 'extensions'));
console.log('start: installed the extension into .cache/start/extensions');

if (!fs.existsSync(workspace)) {
  fs.mkdirSync(workspace, { recursive: true });
  fs.writeFileSync(
    path.join(workspace, 'README.md'),
    '# Flask Backend Tutor course workspace\n\nYour exercises and notes live here. Open the walkthrough from the Welcome page to begin.\n',
  );
  console.log(`start: created the course workspace ${path.relative(repoRoot, workspace)}`);
}

// First start only: a quiet profile for learners (no AI chat panel, no telemetry). The learner's
// own changes to these settings are kept afterwards.
const settingsFile = path.join(startDir, 'user-data', 'User', 'settings.json');
if (!fs.existsSync(settingsFile)) {
  fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
  const settings = {
    'chat.disableAIFeatures': true,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'telemetry.telemetryLevel': 'off',
    'extensions.ignoreRecommendations': true,
  };
  fs.writeFileSync(settingsFile, JSON.stringify(settings, null, 2) + '\n');
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(signal, () => (stopping = true));
let server;
try {
  server = await startServer({
    port,
    homeDir: path.join(startDir, 'home'),
    userDataDir: path.join(startDir, 'user-data'),
    extensionsDir: path.join(startDir, 'extensions'),
    extraArgs: [workspace],
  });
} catch (error) {
  console.error(`start: ${error.message}`);
  if (/EADDRINUSE/.test(error.message)) console.error(`start: port ${port} is taken; choose another: npm start -- --port ${port + 1}`);
  process.exit(1);
}
console.log(`\nstart: serving at ${server.url}/\nFlask Backend Tutor is running: open that address in a browser.\n(workspace ${workspace}; Ctrl+C to stop)`);
const code = await server.exited;
if (stopping) {
  console.log('start: stopped');
} else {
  console.error(`start: VS Code exited unexpectedly (${code})`);
  process.exit(1);
}
