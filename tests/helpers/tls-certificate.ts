import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface TlsCertificate {
  certFile: string;
  keyFile: string;
  /** PEM; what a client trusts explicitly (nothing turns TLS verification off). */
  cert: Buffer;
  key: Buffer;
}

/** A throw-away self-signed certificate for 127.0.0.1, made with openssl in `dir`, for servers a test starts on HTTPS. */
export function selfSignedCertificate(dir: string): TlsCertificate {
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', certFile], {
      stdio: 'pipe',
    });
  } catch (error) {
    throw new Error('This suite needs the openssl command to make a throw-away TLS certificate.', { cause: error });
  }
  return { certFile, keyFile, cert: readFileSync(certFile), key: readFileSync(keyFile) };
}
