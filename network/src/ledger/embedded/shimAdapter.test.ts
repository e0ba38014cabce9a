import { describe, expect, it } from 'vitest';
import { checkShimVersions, installedShimVersions, SUPPORTED_SHIM_VERSIONS } from './shimAdapter.js';

describe('the embedded engine’s adapter to fabric-shim’s insides', () => {
  it('runs with the fabric-shim and fabric-contract-api installed beside the chaincode', () => {
    const installed = installedShimVersions();
    expect(SUPPORTED_SHIM_VERSIONS).toContain(installed.shim);
    expect(() => {
      checkShimVersions(installed);
    }).not.toThrow();
  });

  it('refuses, naming the file to check, a version it was not written for', () => {
    expect(() => {
      checkShimVersions({ shim: '2.6.0', contractApi: '2.5.8' });
    }).toThrow(/fabric-shim's internal files.*not 2\.6\.0.*shimAdapter\.ts/s);
    expect(() => {
      checkShimVersions({ shim: '2.5.8', contractApi: '3.0.0' });
    }).toThrow(/fabric-contract-api.*not 3\.0\.0/s);
  });
});
