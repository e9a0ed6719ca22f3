import { PASSWORDS, compatAccounts } from './accounts.js';
import { haveClients, mysqlCli, pyClient } from './clients.js';
import { PemFiles, issueServerCertificate } from './server-certificate.js';
import { createTestCa, issueClientCertificate } from '../support/certificates.js';
import { startTestServer, type TestServer } from '../support/test-app.js';

/**
 * Configured certificates instead of the generated one: the CLI and
 * PyMySQL verify the server against its CA, and the CLI presents client
 * certificates to REQUIRE X509 / SUBJECT / ISSUER accounts.
 */
const haveCli = haveClients('mysql');
const havePyMysql = haveClients('pymysql');

const CA_SUBJECT = '/CN=compat CA';
const CLIENT_SUBJECT = '/C=SE/O=Compat/CN=client';

let server: TestServer;
let files: PemFiles;
let caFile: string;
let clientCert: string;
let clientKey: string;
let strangerCert: string;
let strangerKey: string;

beforeAll(async () => {
  if (!haveCli && !havePyMysql) return;
  const ca = await createTestCa(CA_SUBJECT);
  const serverCert = issueServerCertificate(ca);
  const client = await issueClientCertificate(ca, CLIENT_SUBJECT);
  // Signed by a CA the server does not trust.
  const stranger = await issueClientCertificate(await createTestCa('/CN=other CA'), CLIENT_SUBJECT);
  files = new PemFiles();
  caFile = files.write('ca.pem', ca.cert);
  clientCert = files.write('client.pem', client.cert);
  clientKey = files.write('client.key', client.key);
  strangerCert = files.write('stranger.pem', stranger.cert);
  strangerKey = files.write('stranger.key', stranger.key);
  server = await startTestServer({
    tls: { key: serverCert.key, cert: serverCert.cert, ca: ca.cert },
    users: compatAccounts(
      { user: 'x509', password: 'x509pass', grants: ['rpc.*'], requireCertificate: { x509: true } },
      {
        user: 'subject',
        password: 'subjectpass',
        grants: ['rpc.*'],
        requireCertificate: { subject: CLIENT_SUBJECT, issuer: CA_SUBJECT },
      },
      {
        user: 'other_subject',
        password: 'otherpass',
        grants: ['rpc.*'],
        requireCertificate: { subject: '/C=SE/O=Compat/CN=someone else' },
      },
    ),
  });
});
afterAll(async () => {
  await server?.close();
  files?.remove();
});

const denied = (user: string) =>
  `ERROR 1045 (28000): Access denied for user '${user}'@'127.0.0.1' (using password: YES)\n`;

(haveCli ? describe : describe.skip)('mysql CLI with configured certificates', () => {
  it('--ssl-verify-server-cert succeeds with the CA that signed the server certificate', async () => {
    const result = await mysqlCli(
      server.port,
      'testuser',
      PASSWORDS.testuser,
      'status',
      '--ssl-verify-server-cert',
      `--ssl-ca=${caFile}`,
    );
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^SSL:\t\t\tCipher in use is \S+$/m);
  });

  it('REQUIRE X509: refused without a client certificate, admitted with one the CA signed', async () => {
    const without = await mysqlCli(server.port, 'x509', 'x509pass', 'call myadd(3,4)');
    expect(without).toEqual({ code: 1, stdout: '', stderr: denied('x509') });
    const withCert = await mysqlCli(
      server.port,
      'x509',
      'x509pass',
      'call myadd(3,4)',
      `--ssl-cert=${clientCert}`,
      `--ssl-key=${clientKey}`,
    );
    expect(withCert).toEqual({ code: 0, stdout: 'sum\n7\n', stderr: '' });
  });

  it('REQUIRE X509: a certificate from another CA does not count', async () => {
    const result = await mysqlCli(
      server.port,
      'x509',
      'x509pass',
      'call myadd(3,4)',
      `--ssl-cert=${strangerCert}`,
      `--ssl-key=${strangerKey}`,
    );
    expect(result).toEqual({ code: 1, stdout: '', stderr: denied('x509') });
  });

  it('REQUIRE SUBJECT/ISSUER: the matching certificate is admitted, another subject refused', async () => {
    const args = [`--ssl-cert=${clientCert}`, `--ssl-key=${clientKey}`];
    expect(
      await mysqlCli(server.port, 'subject', 'subjectpass', 'call myadd(3,4)', ...args),
    ).toEqual({ code: 0, stdout: 'sum\n7\n', stderr: '' });
    expect(
      await mysqlCli(server.port, 'other_subject', 'otherpass', 'call myadd(3,4)', ...args),
    ).toEqual({ code: 1, stdout: '', stderr: denied('other_subject') });
  });
});

(havePyMysql ? describe : describe.skip)('PyMySQL with configured certificates', () => {
  it('verifies the server certificate against its CA', async () => {
    const result = await pyClient({
      driver: 'pymysql',
      port: server.port,
      user: 'testuser',
      password: PASSWORDS.testuser,
      ca: caFile,
      actions: [['query', 'CALL myadd(3, 4)']],
    });
    expect(result).toEqual({
      tls: expect.stringMatching(/^TLSv1\.[23]$/),
      steps: [{ sets: [[[7]]] }],
    });
  });
});
