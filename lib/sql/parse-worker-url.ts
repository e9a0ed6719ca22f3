/**
 * Where the compiled parse worker (parse-worker.js) is. The build writes
 * this module again for each output format, since only CommonJS knows
 * `__dirname` and only an ES module knows `import.meta.url`; run from the
 * TypeScript sources (as the unit tests are) there is no compiled worker,
 * and every statement is parsed on the calling thread.
 */
export const PARSE_WORKER_URL: URL | null = null;
