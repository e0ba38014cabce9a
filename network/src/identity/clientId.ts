import { X509Certificate } from 'node:crypto';

/**
 * Fabric's client identity id for a certificate, formatted as fabric-shim's ClientIdentity does:
 * the subject and issuer attributes in certificate order, `/` inside a value escaped once.
 */
export function clientIdOf(certPem: string): string {
  const cert = new X509Certificate(certPem);
  const format = (dn: string): string =>
    dn
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => {
        const eq = line.indexOf('=');
        return `/${line.slice(0, eq)}=${line.slice(eq + 1).replace('/', '\\/')}`;
      })
      .join('');
  return `x509::${format(cert.subject)}::${format(cert.issuer)}`;
}
