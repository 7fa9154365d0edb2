// Serves the browser app when it has been built (src/web → dist/web); until then, a page that says where the
// API is. The app talks to the public API only.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';

/** The package root: the nearest folder above this file with a package.json (from src/ or the build in dist/node). */
function packageRoot(): string {
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export const webRoot = join(packageRoot(), 'dist', 'web');

export async function webPlugin(app: FastifyInstance): Promise<void> {
  const index = join(webRoot, 'index.html');
  if (existsSync(index)) {
    const { default: fastifyStatic } = await import('@fastify/static');
    await app.register(fastifyStatic, { root: webRoot, prefix: '/', wildcard: false, index: false });
    const html = readFileSync(index, 'utf8');
    // Client-side routes (/invite/…, /councils/…) all load the app.
    app.get('/*', (_request, reply) => void reply.type('text/html').send(html));
    app.get('/', (_request, reply) => void reply.type('text/html').send(html));
    return;
  }
  app.get(
    '/',
    (_request, reply) =>
      void reply
        .type('text/html')
        .send(
          '<!doctype html><html lang="en"><meta charset="utf-8"><title>Councils</title>' +
            '<h1>Councils</h1><p>The API is at <a href="/api/v1/openapi.json">/api/v1</a>. ' +
            'The browser app has not been built (<code>npm run build:web</code>).</p></html>',
        ),
  );
}
