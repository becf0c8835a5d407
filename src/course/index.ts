/**
 * The course engine: exercises (start, reset, backups), hints, solutions, progress, the
 * brief, the status bar and the walkthrough binding. One entry point for the composition root.
 */
import * as vscode from 'vscode';
import { Course, CourseApi, CourseDeps } from './course';

export type { CourseApi, CourseDeps } from './course';

/**
 * Builds the course engine, registers its commands and disposables in `context.subscriptions`,
 * and sets the walkthrough context keys from the stored progress (in the background: activation
 * does not wait for it). Returns the engine's API for tests.
 */
export function registerCourse(context: vscode.ExtensionContext, deps: CourseDeps): CourseApi {
  const course = new Course(context, deps);
  context.subscriptions.push(course);
  void course.start().catch((error) => deps.log.error('Course engine start failed:', error instanceof Error ? (error.stack ?? error.message) : String(error)));
  return course;
}
