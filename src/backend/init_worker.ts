/**
 * Backend set-up for a thread that runs trials (a worker, or the main thread
 * of a one-worker run).
 *
 * @module
 */

import { type BackendChoice, initBackend } from "./backends.ts";
import { loadOpenBlas } from "./openblas.ts";

/**
 * Prepare a worker (or the main thread) to run trials: select the tensor
 * backend. OpenBLAS runs with one thread by default: a multi-threaded sgemm
 * splits its sums differently, so results (and reports) would depend on the
 * thread count; parallelism comes from the workers instead.
 *
 * @example
 * ```ts
 * import { initWorker } from "./init_worker.ts";
 * await initWorker("cpu");
 * ```
 */
export async function initWorker(backend: string, threads = 1): Promise<void> {
  const name = await initBackend(backend as BackendChoice);
  if (name === "blas") loadOpenBlas()?.setThreads(threads);
}
