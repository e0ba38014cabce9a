import { parentPort, workerData } from 'node:worker_threads';
import { planRuns, type RunInputDocument } from './runInput.js';

// A re-plan's background search, on a thread of its own: on 10,000 orders it computes for about
// 16 s, which on the api's thread would hold every request that long.
parentPort?.postMessage(await planRuns(workerData as RunInputDocument));
