/** "1 recording", "3 recordings": a count with its noun in the number it needs (`plural` when not noun + "s"). */
export function counted(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}
