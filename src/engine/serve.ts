/**
 * Running a Flask app for the learner to try (a demo, their exercise): a free port on 127.0.0.1,
 * waiting for it to answer, and where it serves Swagger UI. Node only, no `vscode`.
 */
import { createServer } from 'net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Whether `url` answers (any status) within `tries` half-seconds. */
export async function waitUp(url: string, tries = 60, stop?: () => boolean): Promise<boolean> {
  for (let i = 0; i < tries && !stop?.(); i++) {
    try {
      await fetch(url);
      return true;
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  return false;
}

/** A command-line word for a terminal: quoted when it holds anything but safe characters. */
export const shellWord = (s: string): string => (/^[\w./:\\-]+$/.test(s) ? s : `"${s.replace(/(["\\$`])/g, '\\$1')}"`);

/**
 * Where apps serve Swagger UI, in the order they are tried: Flask-RESTX (`Api(doc="/swagger")`,
 * or the root), flasgger (`/apidocs/`), and common hand-made pages.
 */
export const SWAGGER_UI_PATHS = ['/swagger', '/swagger/', '/apidocs/', '/docs', '/swagger-ui', '/api/docs', '/'];

/** The first path whose page is a Swagger UI (an HTML page that loads swagger-ui). */
export async function findSwaggerUi(base: string, paths = SWAGGER_UI_PATHS): Promise<string | undefined> {
  for (const p of paths) {
    try {
      const response = await fetch(`${base}${p}`, { redirect: 'follow', signal: AbortSignal.timeout(3000) });
      if (!response.ok || !/html/.test(response.headers.get('content-type') ?? '')) continue;
      if (/swagger-ui/i.test(await response.text())) return `${base}${p}`;
    } catch {
      // not this one
    }
  }
  return undefined;
}
