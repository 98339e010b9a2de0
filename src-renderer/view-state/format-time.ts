/** "m:ss" of a time in seconds (minutes not padded, not wrapped at an hour): 75.9 -> "1:15". */
export function formatMinSec(sec: number): string {
  const s = Math.max(0, Math.floor(Number.isFinite(sec) ? sec : 0));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** "mm:ss" with two-digit minutes: 75.9 -> "01:15". */
export function formatClock(sec: number): string {
  const s = Math.max(0, Math.floor(Number.isFinite(sec) ? sec : 0));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** "mm:ss.s" (tenths, truncated): 75.96 -> "01:15.9". */
export function formatClockTenths(sec: number): string {
  const tenths = Math.max(0, Math.floor((Number.isFinite(sec) ? sec : 0) * 10 + 1e-6));
  const s = Math.floor(tenths / 10);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}.${tenths % 10}`;
}

/** An ETA for a progress bar: "12 s left", "3 min left", or '' when unknown. */
export function formatEta(sec: number | null): string {
  if (sec === null || !Number.isFinite(sec) || sec < 0) return '';
  if (sec < 60) return `${Math.max(1, Math.round(sec))} s left`;
  return `${Math.round(sec / 60)} min left`;
}

/** Local-time file stamp "YYYYMMDD-HHMM". */
export function fileStamp(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}${p(date.getMonth() + 1)}${p(date.getDate())}-${p(date.getHours())}${p(date.getMinutes())}`;
}
