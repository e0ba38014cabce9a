import { describe, expect, it } from 'vitest';
import { channelNames } from './adminCli.js';

describe('osnadmin output', () => {
  it('reads the joined channels after the status line', () => {
    const output =
      'Status: 200\n{\n\t"systemChannel": null,\n\t"channels": [{"name": "alliance", "url": "/x"}]\n}\n';
    expect(channelNames(output)).toEqual(['alliance']);
  });

  it('reads an orderer that joined nothing as no channels', () => {
    expect(channelNames('Status: 200\n{"systemChannel": null, "channels": null}')).toEqual([]);
    expect(channelNames('Status: 200')).toEqual([]);
  });
});
