import { parentPort } from 'node:worker_threads';
import {
  toParseFailure,
  VARIABLE_REFS,
  type ParseRequest,
  type ParseResponse,
} from './off-thread.js';
import { parseStatement } from './parse-statement.js';
import { decodeQueryText } from './query-text.js';

// The body of the parse worker (see OffThreadParser): one query at a time, in order.
parentPort?.on('message', (request: ParseRequest) => {
  const { id, bytes, options } = request;
  let response: ParseResponse;
  try {
    const sql = decodeQueryText(bytes);
    response = { id, statement: parseStatement(sql, VARIABLE_REFS, options) };
  } catch (error) {
    response = { id, failure: toParseFailure(error) };
  }
  parentPort?.postMessage(response);
});
