// Builds the package twice from one source: CommonJS for Nest 11 apps and
// ES modules for Nest 12 apps, each with its own type declarations.
// `node scripts/build.mjs --sample` builds the sample app (CommonJS, in dist/).
import { execFileSync } from 'node:child_process';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';

const tsc = (project) =>
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', project], {
    stdio: 'inherit',
  });

// Where the compiled parse worker is can only be said in each format's own
// terms (`__dirname` or `import.meta.url`), so the compiled
// sql/parse-worker-url.js, which says "nowhere" in the TypeScript source,
// is written here once per output.
const LOCATOR = {
  cjs: [
    '"use strict";',
    '// Written by scripts/build.mjs: the compiled parse worker is beside this file.',
    'Object.defineProperty(exports, "__esModule", { value: true });',
    'exports.PARSE_WORKER_URL = require("node:url").pathToFileURL(',
    '  require("node:path").join(__dirname, "parse-worker.js"),',
    ');',
  ],
  esm: [
    '// Written by scripts/build.mjs: the compiled parse worker is beside this file.',
    "export const PARSE_WORKER_URL = new URL('./parse-worker.js', import.meta.url);",
  ],
};
const locate = (sqlDir, format) => {
  writeFileSync(`${sqlDir}/parse-worker-url.js`, LOCATOR[format].join('\n') + '\n');
  rmSync(`${sqlDir}/parse-worker-url.js.map`, { force: true });
};

if (process.argv.includes('--sample')) {
  tsc('tsconfig.sample.json');
  locate('dist/lib/sql', 'cjs');
} else {
  rmSync('dist/cjs', { recursive: true, force: true });
  rmSync('dist/esm', { recursive: true, force: true });
  tsc('tsconfig.build.json');
  tsc('tsconfig.esm.json');
  // Each output folder declares its module kind, so Node never guesses.
  writeFileSync('dist/cjs/package.json', JSON.stringify({ type: 'commonjs' }) + '\n');
  writeFileSync('dist/esm/package.json', JSON.stringify({ type: 'module' }) + '\n');
  locate('dist/cjs/sql', 'cjs');
  locate('dist/esm/sql', 'esm');
  // The package's bin runs as a program from a checkout too, not only once installed.
  chmodSync('dist/cjs/cli/main.js', 0o755);
  chmodSync('dist/esm/cli/main.js', 0o755);
}
