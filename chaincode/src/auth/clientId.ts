/**
 * Reads the subject of a Fabric client identity id (`x509::/C=US/OU=admin/CN=x::/C=US/CN=ca`).
 * fabric-shim builds that string from the certificate the MSP already validated, so its node OUs
 * are the organisation's own statement of what kind of identity this is.
 */
export function subjectAttributes(clientId: string): [string, string][] {
  const parts = clientId.split('::');
  const subject = parts[1];
  if (parts[0] !== 'x509' || subject === undefined) return [];
  // A value's '/' is escaped as '\/'; split only on unescaped slashes.
  return subject
    .split(/(?<!\\)\//)
    .filter((part) => part.length > 0)
    .map((part): [string, string] => {
      const eq = part.indexOf('=');
      return [part.slice(0, eq), part.slice(eq + 1).replace(/\\\//g, '/')];
    });
}

export function hasOrganizationalUnit(clientId: string, unit: string): boolean {
  return subjectAttributes(clientId).some(([key, value]) => key === 'OU' && value === unit);
}
