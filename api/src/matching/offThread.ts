import { Worker } from 'node:worker_threads';
import type { PlannedRuns, RunInputDocument } from './runInput.js';

/** A plan being computed on a worker thread: its answer, and a way to stop it (the api closing). */
export interface PlanningThread {
  planned: Promise<PlannedRuns>;
  stop: () => Promise<void>;
}

/** `planRuns` on a worker thread: the same computation, so the same plan, off the api's thread. */
export function planRunsOffThread(document: RunInputDocument): PlanningThread {
  const worker = new Worker(new URL('./planWorker.js', import.meta.url), { workerData: document });
  const planned = new Promise<PlannedRuns>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    // After an answer this settles nothing; before one, it says the thread was stopped.
    worker.once('exit', (code) => {
      reject(new Error(`the planning thread ended (exit code ${String(code)}) before it answered`));
    });
  });
  return {
    planned,
    stop: async () => {
      await worker.terminate();
    },
  };
}
