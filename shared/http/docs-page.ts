import { readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';

/**
 * The API docs page: swagger-ui-dist's files served by this app (no CDN), and a generated
 * initializer script so the page needs no inline script and its CSP can stay `'self'`-only.
 */
const ASSET_TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.png': 'image/png',
  '.map': 'application/json',
};

const INITIALIZER_FILE = 'swagger-initializer.js';

const swaggerUiFolder = dirname(require.resolve('swagger-ui-dist/package.json'));
let assetNames: Set<string> | undefined;

/** The HTML page; `pagePath` is where it is served (e.g. `/api/docs`), assets live below it. */
export function docsPageHtml(pagePath: string): string {
  const base = pagePath.replace(/\/+$/, '');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <title>FoodXchange Expert Marketplace API</title>
    <link rel="stylesheet" href="${base}/swagger-ui.css">
    <link rel="stylesheet" href="${base}/index.css">
    <link rel="icon" type="image/png" href="${base}/favicon-32x32.png" sizes="32x32">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="${base}/swagger-ui-bundle.js"></script>
    <script src="${base}/swagger-ui-standalone-preset.js"></script>
    <script src="${base}/${INITIALIZER_FILE}"></script>
  </body>
</html>
`;
}

/** Replaces swagger-ui-dist's own initializer (which points at the petstore demo). */
const INITIALIZER = `// The document sits next to the docs folder: /api/docs/${INITIALIZER_FILE} -> /api/openapi.json
var specUrl = new URL('../openapi.json', document.currentScript.src).href;
window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: specUrl,
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
  });
});
`;

/**
 * A file of the docs page by its bare name, or undefined. Only names listed in
 * swagger-ui-dist's own folder (with a known type) are served, so no path can reach elsewhere.
 */
export function docsAsset(file: string): { content: string | Buffer; contentType: string } | undefined {
  if (file === INITIALIZER_FILE) return { content: INITIALIZER, contentType: ASSET_TYPES['.js']! };
  const contentType = ASSET_TYPES[extname(file)];
  assetNames ??= new Set(readdirSync(swaggerUiFolder));
  if (!contentType || !assetNames.has(file)) return undefined;
  return { content: readFileSync(join(swaggerUiFolder, file)), contentType };
}
