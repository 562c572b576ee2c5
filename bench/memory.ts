import { readFileSync } from 'node:fs';

/**
 * Resident memory of a process in MB, from /proc/<pid>/status (Linux): the server runs in a child
 * process, so process.memoryUsage() of the benchmark would measure the wrong one.
 */
export function rssMb(pid: number): number {
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Math.round(Number(kb) / 1024);
}

/** The highest RSS of a process, sampled every 100 ms until stopped: memory under load. */
export function watchRss(pid: number) {
  let peak = rssMb(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, rssMb(pid));
  }, 100);
  return {
    peak: () => peak,
    stop: () => clearInterval(timer),
  };
}
