import { generateKeyPair, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

// Written apart from lib/tls/self-signed.ts (forge signs here, Node there),
// so tests of the server's certificates do not check its code against itself.

/** A certificate and its private key, both PEM text. */
export interface TestCertificate {
  readonly cert: string;
  readonly key: string;
}

/**
 * A subject as MySQL shows it, `/C=SE/ST=Stockholm/O=Org/CN=client` (no `/`
 * or `+` inside values), or as [attribute, value] pairs in order, for values
 * that hold them. Attributes are short names (`C`, `ST`, `L`, `O`, `OU`,
 * `CN`) or `emailAddress`.
 */
export type TestSubject = string | ReadonlyArray<readonly [string, string]>;

const generateRsaKeyPair = promisify(generateKeyPair);
const DAY_MS = 24 * 60 * 60 * 1000;

/** A self-signed test CA (RSA 2048, CA:TRUE) that can sign client certificates. */
export async function createTestCa(
  subject: TestSubject = '/CN=nestjs-mysql-rpc Test CA',
): Promise<TestCertificate> {
  const { key, forgeKey, forgePublicKey } = await newKey();
  const name = toAttributes(subject);
  const cert = newCertificate(forgePublicKey, name, name, [
    { name: 'basicConstraints', critical: true, cA: true },
    { name: 'keyUsage', critical: true, keyCertSign: true, cRLSign: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forgeKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key };
}

/** A client certificate (clientAuth) for a new RSA 2048 key, signed by `ca`. */
export async function issueClientCertificate(
  ca: TestCertificate,
  subject: TestSubject,
): Promise<TestCertificate> {
  const { key, forgePublicKey } = await newKey();
  const caCert = forge.pki.certificateFromPem(ca.cert);
  const cert = newCertificate(forgePublicKey, toAttributes(subject), caCert.subject.attributes, [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', clientAuth: true },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(ca.key), forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key };
}

async function newKey(): Promise<{
  key: string;
  forgeKey: forge.pki.rsa.PrivateKey;
  forgePublicKey: forge.pki.rsa.PublicKey;
}> {
  const pair = await generateRsaKeyPair('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return {
    key: pair.privateKey,
    forgeKey: forge.pki.privateKeyFromPem(pair.privateKey),
    forgePublicKey: forge.pki.publicKeyFromPem(pair.publicKey),
  };
}

function newCertificate(
  publicKey: forge.pki.rsa.PublicKey,
  subject: forge.pki.CertificateField[],
  issuer: forge.pki.CertificateField[],
  extensions: object[],
): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f || 0x01;
  cert.serialNumber = serial.toString('hex');
  // Back-dated an hour so a clock a little behind still accepts it.
  cert.validity.notBefore = new Date(Date.now() - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(Date.now() + 365 * DAY_MS);
  cert.setSubject(subject);
  cert.setIssuer(issuer);
  cert.setExtensions(extensions);
  return cert;
}

// @types/node-forge types valueTagClass as an asn1.Class; forge reads it as the universal type.
const UTF8_STRING = forge.asn1.Type.UTF8 as number as forge.asn1.Class;
const PRINTABLE_STRING = forge.asn1.Type.PRINTABLESTRING as number as forge.asn1.Class;
const IA5_STRING = forge.asn1.Type.IA5STRING as number as forge.asn1.Class;

function toAttributes(subject: TestSubject): forge.pki.CertificateField[] {
  const pairs =
    typeof subject === 'string'
      ? subject
          .split('/')
          .filter((part) => part !== '')
          .map((part): [string, string] => {
            const eq = part.indexOf('=');
            return [part.slice(0, eq), part.slice(eq + 1)];
          })
      : subject;
  return pairs.map(([attribute, value]) => ({
    ...(attribute === 'emailAddress' ? { name: attribute } : { shortName: attribute }),
    value,
    // As OpenSSL writes them: a country as PrintableString, an e-mail address
    // as IA5String, the rest as UTF8String.
    valueTagClass:
      attribute === 'C'
        ? PRINTABLE_STRING
        : attribute === 'emailAddress'
          ? IA5_STRING
          : UTF8_STRING,
  }));
}
