// The session's system variables live in session-state/; this path stays for their users.
export { SessionSystemVariables } from './session-state/session-variables.js';
export { globalValuesOf } from './session-state/global-values.js';
