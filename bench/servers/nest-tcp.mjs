// Peer "Nest TCP": the same sample AppModule on Nest's built-in TCP transport,
// what a Nest user would pick instead of a MySQL-speaking one.
// Usage: node bench/servers/nest-tcp.mjs <port>
import { startNestApp } from './nest-app.mjs';

await startNestApp(({ require, port }) => {
  const { Transport } = require('@nestjs/microservices');
  return { transport: Transport.TCP, options: { host: '127.0.0.1', port } };
});
