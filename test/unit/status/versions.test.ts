import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nestVersion, PACKAGE_VERSION } from '../../../lib/status/versions.js';

const ROOT = join(__dirname, '..', '..', '..');
const versionIn = (file: string): string =>
  (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;

type Versions = typeof import('../../../lib/status/versions.js');

/**
 * nestVersion() as a fresh module (it remembers its first answer) would
 * give it with `dir` as the working directory, where Nest apps start.
 */
function nestVersionFrom(dir: string): string {
  const cwd = process.cwd();
  let answer = '';
  jest.isolateModules(() => {
    const fresh = jest.requireActual<Versions>('../../../lib/status/versions.js');
    process.chdir(dir);
    try {
      answer = fresh.nestVersion();
    } finally {
      process.chdir(cwd);
    }
  });
  return answer;
}

describe('versions', () => {
  it("PACKAGE_VERSION is package.json's version (bump both together)", () => {
    expect(PACKAGE_VERSION).toBe(versionIn(join(ROOT, 'package.json')));
  });

  it('nestVersion() is the @nestjs/core installed where the app runs', () => {
    expect(process.cwd()).toBe(ROOT);
    const installed = versionIn(join(ROOT, 'node_modules/@nestjs/core/package.json'));
    expect(nestVersion()).toBe(installed);
    expect(nestVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  describe('from another working directory', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'versions-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('is `unknown` where no @nestjs/core can be found', () => {
      const empty = join(dir, 'empty');
      mkdirSync(empty);
      expect(nestVersionFrom(empty)).toBe('unknown');
    });

    it("reads the app's own @nestjs/core, not this package's", () => {
      const app = join(dir, 'app');
      const core = join(app, 'node_modules', '@nestjs', 'core');
      mkdirSync(core, { recursive: true });
      writeFileSync(
        join(core, 'package.json'),
        JSON.stringify({ name: '@nestjs/core', version: '12.3.4' }),
      );
      expect(nestVersionFrom(app)).toBe('12.3.4');
    });
  });
});
