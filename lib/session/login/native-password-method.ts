import { verifyNativePassword } from '../../protocol/auth/native-password.js';
import type { AuthContext, AuthExchange, AuthMethod, AuthStep } from './auth-method.js';
import { decoyCredentials } from './decoy-account.js';

/** mysql_native_password: one scramble, checked against SHA1(SHA1(password)). */
export const nativePasswordMethod: AuthMethod = {
  plugin: 'mysql_native_password',
  begin(context: AuthContext): AuthExchange {
    return {
      next(reply: Buffer): AuthStep {
        context.work.nativeChecks++;
        let stored = context.credentials.native;
        // Only chosen for accounts that have this verifier; the decoy stands in otherwise.
        if (stored === undefined) stored = decoyCredentials().native!;
        return verifyNativePassword(stored, context.salt, reply)
          ? { kind: 'accept' }
          : { kind: 'reject' };
      },
    };
  },
};
