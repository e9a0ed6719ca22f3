import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HAPROXY, haveClients, mysqlCli } from './clients.js';
import { ACCOUNT } from './harness/checks.js';
import { freePort, startSample, type SampleServer } from './harness/sample-server.js';
import {
  PacketTap,
  describeLogin,
  exchanges,
  sequenceFaults,
  type TappedConnection,
} from './packet-tap.js';

/**
 * HAProxy 2.6 in TCP mode in front of the sample, health-checked with
 * `option mysql-check user haproxy_check`: each check is a PROTOCOL_41
 * login without a password and without PLUGIN_AUTH (so, for the server,
 * mysql_native_password), followed by COM_QUIT in the same write; HAProxy
 * wants an OK. The server needs an account `haproxy_check` with an empty
 * password for it, from HAProxy's address, with no grants (it only logs
 * in). The checks go through a PacketTap, so the exchange can be read.
 */
const installed = haveClients('haproxy', 'mysql');

/** The greeting, the client's login, the server's answers, then the client's commands. */
function inProtocolOrder(connection: TappedConnection): TappedConnection {
  const server = connection.packets.filter((p) => p.from === 'server');
  const client = connection.packets.filter((p) => p.from === 'client');
  return {
    tls: connection.tls,
    packets: [...server.slice(0, 1), ...client.slice(0, 1), ...server.slice(1), ...client.slice(1)],
  };
}

/** One row of HAProxy's `show stat`, by column name. */
type StatRow = Record<string, string>;

/** Sends a command to HAProxy's stats socket and returns its answer. */
function statsCommand(socketPath: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    let answer = '';
    socket.on('connect', () => socket.write(`${command}\n`));
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

async function serverStat(socketPath: string): Promise<StatRow | undefined> {
  const [header, ...rows] = (await statsCommand(socketPath, 'show stat')).trim().split('\n');
  const names = header!.replace(/^# /, '').split(',');
  return rows
    .map((row) => Object.fromEntries(row.split(',').map((v, i) => [names[i], v])))
    .find((row) => row.pxname === 'mysql' && row.svname === 'sample');
}

(installed ? describe : describe.skip)(
  'HAProxy (option mysql-check) in front of the sample',
  () => {
    let server: SampleServer;
    let tap: PacketTap;
    let haproxy: ChildProcess | undefined;
    let dir: string;
    let proxyPort: number;
    let stat: StatRow | undefined;
    let haproxyLog = '';

    beforeAll(async () => {
      server = await startSample();
      tap = await PacketTap.start(server.port);
      dir = mkdtempSync(join(tmpdir(), 'compat-haproxy-'));
      proxyPort = await freePort();
      const socketPath = join(dir, 'stats.sock');
      const config = join(dir, 'haproxy.cfg');
      writeFileSync(
        config,
        [
          'global',
          `  stats socket ${socketPath} mode 600 level admin`,
          'defaults',
          '  mode tcp',
          '  timeout connect 2s',
          '  timeout client 30s',
          '  timeout server 30s',
          'listen mysql',
          `  bind 127.0.0.1:${proxyPort}`,
          '  option mysql-check user haproxy_check',
          `  server sample 127.0.0.1:${tap.port} check inter 300ms fall 1 rise 1`,
          '',
        ].join('\n'),
      );
      haproxy = spawn(HAPROXY, ['-f', config, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
      haproxy.stdout!.on('data', (c: Buffer) => (haproxyLog += c.toString()));
      haproxy.stderr!.on('data', (c: Buffer) => (haproxyLog += c.toString()));
      // Until the first check has a verdict (check_status INI before).
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline) {
        stat = await serverStat(socketPath).catch(() => undefined);
        if (stat && stat.check_status && stat.check_status !== 'INI') break;
        await new Promise((r) => setTimeout(r, 200));
      }
    }, 60_000);

    afterAll(async () => {
      if (haproxy && haproxy.exitCode === null) {
        const exited = new Promise((r) => haproxy!.once('exit', r));
        haproxy.kill('SIGTERM');
        await exited;
      }
      await tap?.close();
      await server?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('the health check passes: the server is UP with L7OK', () => {
      expect({ status: stat?.status, check: stat?.check_status, last: stat?.last_chk }).toEqual({
        status: 'UP',
        check: 'L7OK',
        last: expect.any(String),
      });
    });

    it('each check logs in as haproxy_check without a password, gets OK, and quits', () => {
      // HAProxy writes its login and COM_QUIT as soon as it connects, before the greeting
      // arrives: put the packets back in the protocol's order to read the login.
      const checks = tap.connections
        .map(inProtocolOrder)
        .filter((c) => describeLogin(c)[1]?.startsWith('C1 login haproxy_check '));
      expect(checks.length).toBeGreaterThan(0);
      for (const connection of checks) {
        expect(sequenceFaults(connection)).toEqual([]);
        expect(describeLogin(connection)).toEqual([
          'S0 greeting caching_sha2_password',
          'C1 login haproxy_check (no plugin) auth=0',
          'S2 OK',
        ]);
        // Then COM_QUIT, unanswered.
        expect(
          exchanges(connection)
            .slice(1)
            .map((e) => e.map((p) => p.payload.toString('hex'))),
        ).toEqual([['01']]);
      }
    });

    it('a CALL goes through HAProxy (TLS end to end, as the CLI uses by default)', async () => {
      const result = await mysqlCli(
        proxyPort,
        ACCOUNT.user,
        ACCOUNT.password,
        'call myadd(3,4); select @@version_comment limit 1',
        '--batch',
        '--skip-column-names',
      );
      expect({ ...result, haproxyLog: result.code === 0 ? '' : haproxyLog }).toEqual({
        code: 0,
        stdout: '7\nnestjs-mysql-rpc\n',
        stderr: '',
        haproxyLog: '',
      });
    });
  },
);
