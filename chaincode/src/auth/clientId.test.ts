import { describe, expect, it } from 'vitest';
import { hasOrganizationalUnit, subjectAttributes } from './clientId.js';

describe('client identity ids', () => {
  it('reads the subject attributes, with escaped slashes restored', () => {
    const id = 'x509::/C=CN/OU=admin/CN=a\\/b@x::/C=CN/CN=ca';
    expect(subjectAttributes(id)).toEqual([
      ['C', 'CN'],
      ['OU', 'admin'],
      ['CN', 'a/b@x'],
    ]);
  });

  it('finds the admin OU only in the subject, not in the issuer', () => {
    expect(hasOrganizationalUnit('x509::/OU=admin/CN=a::/CN=ca', 'admin')).toBe(true);
    expect(hasOrganizationalUnit('x509::/OU=client/CN=a::/OU=admin/CN=ca', 'admin')).toBe(false);
    expect(hasOrganizationalUnit('not-an-id', 'admin')).toBe(false);
  });
});
