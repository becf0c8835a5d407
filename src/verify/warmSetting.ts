/**
 * The `flaskTutor.verify.warmWorker` setting (default on) and the log for the warm worker
 * (src/engine/warmWorker.ts): Verify, verify on save and the request console all run through
 * runPytest, which uses the interpreter's warm worker when it is on and ready (Linux).
 */
import * as vscode from 'vscode';
import { configureWarmWorker, disposeWarmWorkers } from '../engine/warmWorker';
import type { Log } from '../log';

export function watchWarmWorkerSetting(log: Log): vscode.Disposable {
  const apply = () =>
    configureWarmWorker({
      enabled: vscode.workspace.getConfiguration('flaskTutor.verify').get<boolean>('warmWorker', true),
      log: (line) => log.info(line),
    });
  apply();
  const watch = vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('flaskTutor.verify.warmWorker')) apply();
  });
  return {
    dispose: () => {
      watch.dispose();
      disposeWarmWorkers();
    },
  };
}
