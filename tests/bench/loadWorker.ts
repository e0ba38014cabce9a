import { parentPort, workerData } from 'node:worker_threads';
import { closedLoop } from './load.js';

const { url, body, headers, options } = workerData as {
  url: string;
  body: string;
  headers: Record<string, string>;
  options: { connections: number; seconds: number; warmupSeconds: number };
};
parentPort?.postMessage(await closedLoop(url, body, headers, options));
