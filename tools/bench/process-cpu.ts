import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds (user + system) a process has used so far, from /proc; NaN when it is gone. */
export function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ (100 on Linux)
  } catch {
    return NaN;
  }
}

/** CPU seconds so far of PostgreSQL (all its processes) and the Kafka broker on this machine. */
export function infraCpuSeconds(): { postgres: number; kafka: number } {
  const out = { postgres: 0, kafka: 0 };
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (cmd.startsWith('postgres')) out.postgres += cpuSecondsOf(Number(entry)) || 0;
    else if (cmd.includes('kafka.Kafka')) out.kafka += cpuSecondsOf(Number(entry)) || 0;
  }
  return out;
}
