/**
 * The binary-protocol readers throw the same class as PayloadReader, so one
 * `instanceof` check covers a short packet whichever reader noticed it.
 */
export { MalformedPacketError } from '../payload-reader.js';
