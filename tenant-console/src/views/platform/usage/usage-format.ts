import type { UsageMetric } from '@shopfleet/contracts';
import { formatBytes } from '@/utils/format';

/** A metric's value as the staff pages show it: bytes as 1.4 MB, counts with the reader's digit grouping. */
export function formatUsage(metric: UsageMetric, value: number, locale: string): string {
  if (metric === 'storageBytes') return formatBytes(value);
  return new Intl.NumberFormat(locale).format(value);
}
