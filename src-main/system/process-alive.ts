/**
 * Whether the process a lock or a scratch folder names still runs. A pid alone can mislead: once
 * its process is gone the kernel may give the same pid to an unrelated one, so a record also keeps
 * the process's start time where the system tells it (Linux), and a live pid that started at
 * another time is not the recorded process.
 */
import { readFileSync } from 'node:fs';

/** Whether a process with this id exists (one owned by another user counts: kill(0) says EPERM). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * When process `pid` started, in clock ticks since boot: field 22 (starttime) of /proc/PID/stat
 * (proc(5)). Null where it cannot be read (not Linux, no such process).
 */
export function processStartTime(pid: number): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // Field 2, the command name, is in parentheses and may itself hold spaces and ')': count from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[22 - 3]);
  return Number.isSafeInteger(ticks) ? ticks : null;
}

/** A process as a record names it; `startTime` (processStartTime) is absent where it is unknown. */
export interface ProcessIdentity {
  pid: number;
  startTime?: number;
}

/** This process, as a lock or folder it owns should record it. */
export function ownIdentity(): ProcessIdentity {
  const startTime = processStartTime(process.pid);
  return startTime === null ? { pid: process.pid } : { pid: process.pid, startTime };
}

/**
 * Whether the recorded process still runs: its pid is alive and, when the record and the system
 * both know a start time, the live process started then (else the pid was reused: the record is stale).
 */
export function identityAlive(id: ProcessIdentity): boolean {
  if (!Number.isSafeInteger(id.pid) || id.pid <= 0 || !processAlive(id.pid)) return false;
  if (id.startTime === undefined) return true;
  const now = processStartTime(id.pid);
  return now === null || now === id.startTime;
}
