import type { SecureContextOptions } from 'node:tls';

/**
 * Key or certificate material: a string starting with `-----BEGIN` is PEM
 * text, any other string is the path of a PEM file read once at start-up,
 * and a Buffer holds the PEM bytes themselves.
 */
export type PemSource = string | Buffer;

/** Node's secure-context settings (ciphers, minVersion, ecdhCurve, ...), passed to Node unchanged. */
export type MysqlTlsContextOptions = Omit<
  SecureContextOptions,
  // Key material has its own fields below, read and checked before Node sees it.
  'key' | 'cert' | 'ca' | 'passphrase' | 'pfx'
>;

/**
 * TLS settings of the server. Without `key` and `cert` a self-signed
 * certificate is generated at start, as MySQL 8 does with auto_generate_certs.
 */
export interface MysqlTlsOptions extends MysqlTlsContextOptions {
  /** The server's private key (PEM); needs `cert`. */
  key?: PemSource;
  /** The server's certificate (PEM), optionally followed by its chain; needs `key`. */
  cert?: PemSource;
  /** CAs that client certificates are checked against; giving any makes the server ask clients for one (REQUIRE X509). */
  ca?: PemSource | PemSource[];
  /** Passphrase of an encrypted `key`. */
  passphrase?: string;
}

/** The RSA key pair caching_sha2_password uses to receive a password over a connection without TLS. */
export interface MysqlRsaKeyOptions {
  /** The RSA private key (PEM, PKCS#1 or PKCS#8, unencrypted). */
  privateKey: PemSource;
  /** Its public key (PEM); derived from `privateKey` when omitted, checked against it when given. */
  publicKey?: PemSource;
}
