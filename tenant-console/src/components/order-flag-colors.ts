import type { OrderFlag } from '@shopfleet/contracts';

/** Each flag's colour, as the console draws it (Element Plus's palette, purple added). */
export const ORDER_FLAG_COLORS: Record<OrderFlag, string> = {
  red: '#f56c6c',
  yellow: '#e6a23c',
  green: '#67c23a',
  blue: '#409eff',
  purple: '#9254de',
};
