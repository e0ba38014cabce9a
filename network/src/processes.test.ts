import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { NetworkError } from './errors.js';
import { isPortFree, startProcess } from './processes.js';

describe('network processes', () => {
  let server: Server | undefined;
  afterEach(() => {
    server?.close();
    server = undefined;
  });

  const occupy = (): Promise<number> =>
    new Promise((resolvePromise) => {
      server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const address = server?.address();
        resolvePromise(typeof address === 'object' && address !== null ? address.port : 0);
      });
    });

  it('refuses to start a node whose port is taken, naming the port, its owner and the fix', async () => {
    const port = await occupy();
    expect(await isPortFree(port)).toBe(false);
    const attempt = startProcess({
      name: 'test-never-started',
      home: tmpdir(),
      program: '/bin/true',
      args: [],
      env: {},
      ports: [{ port, owner: 'FactoryA peer' }],
    });
    await expect(attempt).rejects.toBeInstanceOf(NetworkError);
    await expect(attempt).rejects.toThrow(
      new RegExp(`127\\.0\\.0\\.1:${port} \\(FactoryA peer\\).*\\n.*FABPOOL_NETWORK_PORT_BASE`),
    );
  });
});
