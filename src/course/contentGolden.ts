/**
 * The golden path: every exercise's checks fail on its starter (failures, not errors in the
 * check code) and all pass on its solution, its mutants are caught and its variants pass;
 * exercises run `jobs` at a time, and a table sums it up. Node only, no `vscode`; part of
 * ./contentCheck.ts.
 */
import type { Outcome } from '../core/protocol';
import type { Exercise } from '../engine/catalog';
import { runMutantsAndVariants } from './contentMutants';
import { firstLine, GoldenOptions, GoldenResult, runTree, TreeRun, TreeVerdict } from './contentRun';

const count = (run: TreeRun | undefined, outcome: Outcome) => run?.verdicts.filter((v) => v.outcome === outcome).length ?? 0;

/** What is wrong with one exercise's golden path. */
export function judgeGolden(starter: TreeRun, solution: TreeRun): string[] {
  const problems: string[] = [];
  if (!starter.verdicts.length) problems.push('no checks');
  if (starter.appError) problems.push(`starter: the app does not load (${starter.appError}); a starter must import and run`);
  if (starter.endReason !== 'completed') problems.push(`starter: the run ended early (${starter.endReason})`);
  for (const v of starter.verdicts.filter((x) => x.outcome === 'errored')) {
    problems.push(`starter: ${v.key} errored (the check itself broke, or the starter cannot run it): ${firstLine(v.messages[0]?.text)}`);
  }
  if (starter.verdicts.length && !starter.verdicts.some((v) => v.outcome === 'failed')) problems.push('starter: no check fails (the starter already does the task?)');
  if (solution.appError) problems.push(`solution: the app does not load (${solution.appError})`);
  if (solution.endReason !== 'completed') problems.push(`solution: the run ended early (${solution.endReason})`);
  for (const v of solution.verdicts.filter((x) => x.outcome !== 'passed')) {
    problems.push(`solution: ${v.key} ${v.outcome}: ${firstLine(v.messages[0]?.text)}`);
  }
  return problems;
}

/** Runs the golden path of the exercises, `jobs` at a time, in catalog order. */
export async function goldenPath(exercises: readonly Exercise[], options: GoldenOptions): Promise<GoldenResult[]> {
  const results: GoldenResult[] = new Array(exercises.length);
  let next = 0;
  const worker = async () => {
    while (next < exercises.length) {
      const index = next++;
      const exercise = exercises[index];
      const started = Date.now();
      let result: GoldenResult;
      try {
        const starter = await runTree(exercise, exercise.starterDir, options);
        const solution = await runTree(exercise, exercise.solutionDir, options);
        const problems = judgeGolden(starter, solution);
        const { mutants, variants } = await runMutantsAndVariants(exercise, options);
        for (const m of mutants) if (m.problem) problems.push(`mutant ${m.name}: ${m.problem}`);
        for (const v of variants) if (v.problem) problems.push(`variant ${v.name}: ${v.problem}`);
        result = { id: exercise.id, starter, solution, mutants, variants, ms: Date.now() - started, problems };
      } catch (error) {
        result = { id: exercise.id, ms: Date.now() - started, problems: [`could not run: ${error instanceof Error ? error.message : String(error)}`] };
      }
      results[index] = result;
      options.onResult?.(result);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.jobs ?? 2, exercises.length)) }, worker));
  return results;
}

function treeCell(list: readonly TreeVerdict[] | undefined): string {
  if (!list || !list.length) return '-';
  const ran = list.filter((t) => !t.skipped);
  const skipped = list.length - ran.length;
  return `${ran.filter((t) => !t.problem).length}/${ran.length}${skipped ? ` (${skipped} skipped)` : ''}`;
}

export function goldenTable(results: readonly GoldenResult[]): string {
  const rows = results.map((r) => [
    r.id,
    r.starter ? `${count(r.starter, 'failed')}/${r.starter.verdicts.length}${count(r.starter, 'errored') ? ` (${count(r.starter, 'errored')} errored)` : ''}` : '-',
    r.solution ? `${count(r.solution, 'passed')}/${r.solution.verdicts.length}` : '-',
    treeCell(r.mutants),
    treeCell(r.variants),
    String(r.ms),
    r.problems.length ? 'FAIL' : 'ok',
  ]);
  const header = ['exercise', 'starter failed/total', 'solution passed/total', 'mutants caught', 'variants pass', 'ms', 'result'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
