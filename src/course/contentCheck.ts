/**
 * The content checker behind `npm run check:content` (scripts/check-content.mjs bundles this
 * module with esbuild and runs it) and `npm run gen:walkthroughs`. Node only, no `vscode`;
 * never part of the extension bundle.
 *
 * - manifests: the JSON schema (exercises/exercise.schema.json, with ajv) and what a schema
 *   cannot see: id = <chapter>-<folder>, unique ids and orders, referenced files present;
 * - Markdown (walkthrough steps, markdown media, briefs): links resolve, `command:` links name
 *   contributed commands with valid JSON-array arguments, media exist, images have alt text;
 * - walkthroughs: package.json's `contributes.walkthroughs` is what the generator makes;
 * - the golden path: every exercise's checks fail on the starter (check failures, not errors in
 *   the check code) and all pass on the solution, exercises run in parallel.
 *
 * One import for the checker's parts, each in its own module: contentFiles.ts (shared helpers) ←
 * contentStatic.ts (no Python) and contentRun.ts (one run of a tree) ← contentMutants.ts ←
 * contentGolden.ts.
 */
export * from './contentFiles';
export * from './contentStatic';
export * from './contentRun';
export * from './contentMutants';
export * from './contentGolden';
export * from './contentPostgres';
export { describeUnmet, unmetRequirements } from '../core/requirements';
