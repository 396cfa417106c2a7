export const clean = (s: string) => s.trim();

export function toInt(value: string | null): number {
  const n = Number.parseInt(value ?? '', 10);
  return Number.isNaN(n) ? 0 : n;
}
