import type { FastJob, FastOutcome } from './protocol';

/** Runs the job read from stdin and writes its outcome as the last line of stdout (the nets log lines of their own). */
export function serve(run: (job: FastJob) => Promise<FastOutcome>): void {
  (async () => {
    let input = '';
    for await (const chunk of process.stdin) input += chunk;
    console.log(JSON.stringify(await run(JSON.parse(input) as FastJob)));
  })().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}

/** Milliseconds of each of `runs` calls, after one untimed (first runs pay for allocations and caches). */
export async function timed(runs: number, f: () => Promise<unknown>): Promise<number[]> {
  await f();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await f();
    ms.push(performance.now() - t);
  }
  return ms;
}
