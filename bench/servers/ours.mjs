// Peer "this transport": the sample AppModule served by MysqlRpcServer.
// Usage: node bench/servers/ours.mjs <port>
import { startNestApp } from './nest-app.mjs';

await startNestApp(({ require, dist, port }) => {
  const { MysqlRpcServer } = require(`${dist}lib/index.js`);
  return {
    strategy: new MysqlRpcServer({
      host: '127.0.0.1',
      port,
      users: { testuser: { password: 'testpass', grants: ['rpc.*'] } },
    }),
  };
});
