import type { Socket } from 'node:net';
import { TLSSocket, type PeerCertificate } from 'node:tls';
import type { TlsMaterial } from './tls-material.js';

/** What the server knows of a TLS client's certificate. */
export interface PeerCertificateInfo {
  /** The client sent a certificate that a configured `ca` vouches for (REQUIRE X509). */
  readonly authorized: boolean;
  /** Its subject in MySQL's one-line form (`/C=SE/ST=Stockholm/O=Org/CN=client`), or null without a certificate. */
  readonly subject: string | null;
  /** Its issuer in the same form, or null without a certificate. */
  readonly issuer: string | null;
  /** Node's view of the certificate, or null without one. */
  readonly certificate: PeerCertificate | null;
}

/**
 * Starts server-side TLS on a connection whose client has just sent its
 * 32-byte SSLRequest. A client starts its handshake without waiting for a
 * reply, so the ClientHello may have come in the same TCP read.
 *
 * The caller's part: remove its own 'data' listener from `socket` first, and
 * pass in `buffered`, every byte it read past the SSLRequest. From then on
 * read and write only the returned socket and listen to its 'error' (a
 * failed handshake); 'close' comes on both sockets, and an idle timeout set
 * on the raw socket still counts the TLS traffic. The returned socket does
 * not reject a client without a certificate: `authorized` is set when the
 * handshake ends, before any data arrives, and checking it per account is
 * the caller's (see `peerCertificateInfo`). A TLS failure after the
 * handshake destroys the socket with that 'error'.
 */
export function upgradeToTls(socket: Socket, buffered: Buffer, material: TlsMaterial): TLSSocket {
  if (material.secureContext === null) throw new Error('upgradeToTls: TLS is off (tls: false)');
  // A stream stays flowing after its last 'data' listener goes, and a flowing
  // stream hands bytes put back with unshift to no one: pause keeps them.
  socket.pause();
  if (buffered.length > 0) socket.unshift(buffered);
  // The TLSSocket takes over the socket's handle and, on the next tick, first
  // feeds the TLS layer whatever the socket still holds unread, so the bytes
  // put back are read before any that arrive later.
  const secure = new TLSSocket(socket, {
    isServer: true,
    secureContext: material.secureContext,
    requestCert: material.requestCert,
    // A client without a certificate may still log in to an account that
    // does not REQUIRE X509.
    rejectUnauthorized: false,
  });
  // Once the handshake is done, Node reports a TLS failure (a forged record,
  // an attempt to renegotiate) on a TLSSocket that no tls.Server accepted
  // only as the internal '_tlsError' event, and leaves the connection open.
  secure.on('_tlsError', (error: Error) => secure.destroy(error));
  // Each handshake judges the certificate it carried (the secure context
  // refuses renegotiation anyway).
  if (material.requestCert) secure.on('secure', () => recordVerdict(secure));
  return secure;
}

/** The client's certificate as login needs it; `authorized` is false until the handshake has ended. */
export function peerCertificateInfo(socket: TLSSocket): PeerCertificateInfo {
  const x509 = socket.getPeerX509Certificate();
  if (x509 === undefined) {
    return { authorized: false, subject: null, issuer: null, certificate: null };
  }
  return {
    authorized: socket.authorized,
    subject: x509NameOneLine(x509.subject),
    issuer: x509NameOneLine(x509.issuer),
    certificate: socket.getPeerCertificate(),
  };
}

/** The one method of Node's native TLS handle read here. */
interface VerifyingHandle {
  verifyError(): Error | null | undefined;
}

/**
 * Sets `authorized` from OpenSSL's check of the client's certificate against
 * the configured CAs. Node's tls.Server does this for the sockets it
 * accepts, but a TLSSocket made from an existing socket is never given the
 * verdict (nodejs/node#31305), and no public API exposes it; so it is read
 * the way Node's own server reads it, and if that ever stops being possible
 * the client counts as unauthorized.
 */
function recordVerdict(socket: TLSSocket): void {
  const handle: unknown = Reflect.get(socket, '_handle');
  const readable =
    typeof handle === 'object' &&
    handle !== null &&
    typeof Reflect.get(handle, 'verifyError') === 'function';
  const verifyError = readable
    ? (handle as VerifyingHandle).verifyError()
    : new Error('the TLS verification result is unavailable');
  // A client that sent no certificate has verifyError() set too; checked
  // again so that only a present, verified certificate ever counts.
  socket.authorized = !verifyError && socket.getPeerX509Certificate() !== undefined;
  if (verifyError) socket.authorizationError = verifyError;
}

/**
 * A distinguished name in the one-line form MySQL shows and REQUIRE SUBJECT
 * and ISSUER compare (OpenSSL's X509_NAME_oneline): `/`-separated RDNs in
 * the certificate's own order, `+` between the parts of a multi-valued RDN,
 * `/` and `+` in values escaped with `\`, and every byte outside printable
 * ASCII written `\xHH`. Takes Node's multi-line form (`X509Certificate.subject`):
 * one RDN a line, RFC 2253 escapes, values converted to UTF-8. A value that
 * the certificate holds as a BMPString or T61String therefore comes out as
 * its UTF-8 bytes, where OpenSSL would show the raw ones.
 */
export function x509NameOneLine(nodeName: string): string {
  let out = '';
  for (const line of nodeName.split('\n')) {
    if (line === '') continue;
    parseRdn(line).forEach((ava, i) => {
      out += `${i === 0 ? '/' : '+'}${ava.type}=${oneLineValue(ava.value)}`;
    });
  }
  return out;
}

interface AttributeValue {
  type: string;
  value: number[];
}

/** Splits one line of Node's form (`OU=x + OU=y`) into its attributes, undoing the escapes. */
function parseRdn(line: string): AttributeValue[] {
  const avas: AttributeValue[] = [];
  let current: AttributeValue = { type: '', value: [] };
  let inValue = false;
  for (let i = 0; i < line.length;) {
    const ch = String.fromCodePoint(line.codePointAt(i)!);
    i += ch.length;
    if (!inValue) {
      if (ch === '=') inValue = true;
      else current.type += ch;
    } else if (ch === '\\') {
      // `\` + two hex digits is a byte (a control character); `\` + any
      // other character is that character (RFC 2253's specials).
      const hex = line.slice(i, i + 2);
      if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
        current.value.push(parseInt(hex, 16));
        i += 2;
      } else if (i < line.length) {
        const escaped = String.fromCodePoint(line.codePointAt(i)!);
        current.value.push(...Buffer.from(escaped, 'utf8'));
        i += escaped.length;
      }
    } else if (ch === '+') {
      // Values have every '+' escaped, so a bare one separates the parts of
      // a multi-valued RDN: ` + `.
      if (current.value[current.value.length - 1] === 0x20) current.value.pop();
      avas.push(current);
      current = { type: '', value: [] };
      inValue = false;
      if (line[i] === ' ') i++;
    } else {
      current.value.push(...Buffer.from(ch, 'utf8'));
    }
  }
  avas.push(current);
  return avas;
}

const SLASH = 0x2f;
const PLUS = 0x2b;

function oneLineValue(bytes: number[]): string {
  let out = '';
  for (const b of bytes) {
    if (b < 0x20 || b > 0x7e) out += `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`;
    else if (b === SLASH || b === PLUS) out += `\\${String.fromCharCode(b)}`;
    else out += String.fromCharCode(b);
  }
  return out;
}
