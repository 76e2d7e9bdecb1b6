/**
 * Where the CPU went during a load phase, read from /proc (Linux only; elsewhere nothing is printed):
 * the server's main thread (the api), its other threads (the workers' thread, V8's and libuv's
 * helpers), PostgreSQL's and Redis' processes, this load generator, and how busy the machine was.
 * A phase bound by one thread shows it near 100 % of a core; one bound by waits shows idle cores.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';

interface Reading {
  apiThread: number;
  serverOtherThreads: number;
  postgres: number;
  redis: number;
  loadGenerator: number;
  machineBusy: number;
  /** Time the hypervisor gave to other machines while this one wanted to run (a virtual machine's "steal"). */
  machineSteal: number;
  machineTotal: number;
}

export interface CpuReport {
  seconds: number;
  /** CPU seconds per category during the phase. */
  used: Omit<Reading, 'machineTotal'>;
  /** Share of all cores busy during the phase, 0 to 1, steal included. */
  machineBusyShare: number;
  /** Share of all cores taken by the hypervisor, 0 to 1: a moment when the machine was slower for everyone. */
  machineStealShare: number;
}

const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * utime + stime of a /proc stat file, with cutime + cstime (children waited for), in seconds: a
 * PostgreSQL backend ending during the phase leaves its CPU to the postmaster's children's time.
 */
function cpuSecondsOf(statFile: string): number {
  try {
    const stat = fs.readFileSync(statFile, 'utf8');
    // Fields after the command name, which may itself hold spaces: utime, stime, cutime, cstime are the 12th to 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / ticksPerSecond;
  } catch {
    return 0;
  }
}

function processesNamed(prefix: string): string[] {
  return fs.readdirSync('/proc').filter((entry) => {
    if (!/^\d+$/.test(entry)) return false;
    try {
      return fs.readFileSync(`/proc/${entry}/comm`, 'utf8').startsWith(prefix);
    } catch {
      return false;
    }
  });
}

function read(serverPid: number): Reading {
  let serverAll = 0;
  for (const thread of fs.readdirSync(`/proc/${serverPid}/task`)) serverAll += cpuSecondsOf(`/proc/${serverPid}/task/${thread}/stat`);
  const apiThread = cpuSecondsOf(`/proc/${serverPid}/task/${serverPid}/stat`);
  const sum = (pids: string[]) => pids.reduce((total, pid) => total + cpuSecondsOf(`/proc/${pid}/stat`), 0);
  // user nice system idle iowait irq softirq steal: busy is everything but idle and iowait.
  const machine = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  const machineTotal = machine.reduce((a, b) => a + b, 0) / ticksPerSecond;
  return {
    apiThread,
    serverOtherThreads: serverAll - apiThread,
    postgres: sum(processesNamed('postgres')),
    redis: sum(processesNamed('redis-server')),
    loadGenerator: cpuSecondsOf(`/proc/${process.pid}/stat`),
    machineBusy: machineTotal - (machine[3] + machine[4]) / ticksPerSecond,
    machineSteal: machine[7] / ticksPerSecond,
    machineTotal,
  };
}

export class CpuAccount {
  private start?: { reading: Reading; at: number };

  constructor(private readonly serverPid: number) {}

  begin(): void {
    this.start = fs.existsSync(`/proc/${this.serverPid}/task`) ? { reading: read(this.serverPid), at: Date.now() } : undefined;
  }

  /** Undefined where /proc cannot tell (not Linux, or the server is gone). */
  end(): CpuReport | undefined {
    if (!this.start || !fs.existsSync(`/proc/${this.serverPid}/task`)) return undefined;
    const now = read(this.serverPid);
    const before = this.start.reading;
    const used = {
      apiThread: now.apiThread - before.apiThread,
      serverOtherThreads: now.serverOtherThreads - before.serverOtherThreads,
      postgres: now.postgres - before.postgres,
      redis: now.redis - before.redis,
      loadGenerator: now.loadGenerator - before.loadGenerator,
      machineBusy: now.machineBusy - before.machineBusy,
      machineSteal: now.machineSteal - before.machineSteal,
    };
    const total = Math.max(now.machineTotal - before.machineTotal, 1e-9);
    return {
      seconds: (Date.now() - this.start.at) / 1000,
      used,
      machineBusyShare: used.machineBusy / total,
      machineStealShare: used.machineSteal / total,
    };
  }
}

/** Report lines: each part as a share of one core, and the api thread's CPU per request. */
export function describeCpu(report: CpuReport | undefined, requests: number): string[] {
  if (!report) return [];
  const core = (seconds: number) => `${Math.round((seconds / report.seconds) * 100)} %`;
  const perRequest = requests > 0 ? Math.round((report.used.apiThread / requests) * 1e6) : 0;
  return [
    `  CPU (part d’un cœur)  fil api ${core(report.used.apiThread)} · autres fils du serveur ${core(report.used.serverOtherThreads)}` +
      ` · PostgreSQL ${core(report.used.postgres)} · Redis ${core(report.used.redis)} · générateur ${core(report.used.loadGenerator)}`,
    `  machine occupée ${Math.round(report.machineBusyShare * 100)} % de ses cœurs, dont ${Math.round(report.machineStealShare * 100)} % pris par l’hyperviseur · fil api ${perRequest} µs par requête`,
  ];
}
