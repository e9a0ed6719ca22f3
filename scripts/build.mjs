// Builds the package twice from one source: CommonJS for Nest 11 apps and
// ES modules for Nest 12 apps, each with its own type declarations.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';

const tsc = (project) =>
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', project], {
    stdio: 'inherit',
  });

rmSync('dist/cjs', { recursive: true, force: true });
rmSync('dist/esm', { recursive: true, force: true });
tsc('tsconfig.build.json');
tsc('tsconfig.esm.json');
// Each output folder declares its module kind, so Node never guesses.
writeFileSync('dist/cjs/package.json', JSON.stringify({ type: 'commonjs' }) + '\n');
writeFileSync('dist/esm/package.json', JSON.stringify({ type: 'module' }) + '\n');
