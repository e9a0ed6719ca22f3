// How the status page prints numbers: short enough to read at a glance,
// exact enough to compare rows. The JSON keeps the full values.

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A count with thousands separators: `1,234,567`. */
export function formatCount(n: number): string {
  return grouped.format(n);
}

/** A duration in ms with three significant digits or so: `0.238`, `2.41`, `37.5`, `1250`. */
export function formatMs(ms: number): string {
  if (ms === 0) return '0';
  if (ms < 1) return ms.toFixed(3);
  if (ms < 10) return ms.toFixed(2);
  if (ms < 100) return ms.toFixed(1);
  return grouped.format(ms);
}

/** A rate per second: `0`, `0.05`, `4.2`, `1,530`. */
export function formatRate(perSecond: number): string {
  if (perSecond === 0) return '0';
  if (perSecond < 1) return perSecond.toFixed(2);
  if (perSecond < 100) return perSecond.toFixed(1);
  return grouped.format(perSecond);
}

/** Seconds as the two largest units: `3d 4h`, `4h 12m`, `12m 5s`, `5s`. */
export function formatUptime(seconds: number): string {
  const s = Math.floor(seconds);
  const units: Array<[number, string]> = [
    [Math.floor(s / 86400), 'd'],
    [Math.floor(s / 3600) % 24, 'h'],
    [Math.floor(s / 60) % 60, 'm'],
    [s % 60, 's'],
  ];
  const first = units.findIndex(([n]) => n > 0);
  if (first < 0) return '0s';
  return units
    .slice(first, first + 2)
    .map(([n, unit]) => `${n}${unit}`)
    .join(' ');
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** A byte count in binary units: `512 B`, `1.5 MiB`. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${BYTE_UNITS[unit]}`;
}

/** A time limit in ms, where 0 means none: `none`, `10 s`, `8 h`. */
export function formatLimitMs(ms: number): string {
  if (ms === 0) return 'none';
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}

/** An ISO time as `YYYY-MM-DD HH:MM:SS` UTC, or a dash. */
export function formatTime(iso: string | null): string {
  return iso === null ? '–' : iso.slice(0, 19).replace('T', ' ');
}
