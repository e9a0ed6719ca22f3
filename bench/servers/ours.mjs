// Peer "this transport": the sample AppModule served by MysqlRpcServer, with
// the server's defaults (caching_sha2_password in the greeting, TLS with a
// certificate generated at start, the failed-login throttle on).
// Accounts, all with password `testpass` and every procedure in rpc:
//   testuser    any plugin it has a verifier for (both): the qps, fairness
//               and streaming scenarios log in with it
//   sha2user    caching_sha2_password only (the connect scenario's default row)
//   nativeuser  mysql_native_password only (the connect scenario's second row)
// Usage: node bench/servers/ours.mjs <port>
import { startNestApp } from './nest-app.mjs';

const grants = ['rpc.*'];
await startNestApp(({ require, dist, port }) => {
  const { MysqlRpcServer } = require(`${dist}lib/index.js`);
  return {
    strategy: new MysqlRpcServer({
      host: '127.0.0.1',
      port,
      users: {
        testuser: { password: 'testpass', grants },
        sha2user: { password: 'testpass', plugin: 'caching_sha2_password', grants },
        nativeuser: { password: 'testpass', plugin: 'mysql_native_password', grants },
      },
    }),
  };
});
