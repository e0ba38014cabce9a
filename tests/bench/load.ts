import { Worker } from 'node:worker_threads';
import { Agent, request } from 'node:http';

export interface LoadResult {
  requests: number;
  failed: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
}

const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0
    ? NaN
    : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN);

/**
 * Sends the same POST over `connections` keep-alive connections, each waiting for its answer
 * before the next (a closed loop, as autocannon does), for `seconds` after a warm-up; returns the
 * rate and latency percentiles. A non-200 answer or a GraphQL error counts as failed.
 */
export async function closedLoop(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { connections: number; seconds: number; warmupSeconds: number },
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const send = (): Promise<boolean> =>
    new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            ...headers,
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            resolve(
              response.statusCode === 200 && !Buffer.concat(chunks).toString('utf8').includes('"errors"'),
            );
          });
          response.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const run = async (seconds: number, record: boolean) => {
    const latencies: number[] = [];
    let failed = 0;
    const until = performance.now() + seconds * 1000;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: options.connections }, async () => {
        while (performance.now() < until) {
          const t0 = performance.now();
          const ok = await send().catch(() => false);
          if (record) latencies.push(performance.now() - t0);
          if (!ok) failed++;
        }
      }),
    );
    return { latencies, failed, seconds: (performance.now() - started) / 1000 };
  };
  await run(options.warmupSeconds, false);
  const { latencies, failed, seconds } = await run(options.seconds, true);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    failed,
    seconds,
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

/**
 * The same closed loop on a worker thread: the load generator then has its own event loop and
 * does not take turns with the server it measures (it still shares the machine's cores).
 */
export function closedLoopOnWorker(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { connections: number; seconds: number; warmupSeconds: number },
): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./loadWorker.js', import.meta.url), {
      workerData: { url, body, headers, options },
    });
    worker.once('message', (result: LoadResult) => {
      resolve(result);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`load worker exited with ${code}`));
    });
  });
}
