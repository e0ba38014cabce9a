import { describe, expect, it } from 'vitest';
import { packageId } from './chaincodePackage.js';

describe('chaincode package id', () => {
  it('is the label and the sha256 of the package file, as the peer computes it', () => {
    expect(packageId('fabpool_1', Buffer.from('abc'))).toBe(
      'fabpool_1:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});
