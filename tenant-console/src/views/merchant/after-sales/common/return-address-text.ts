import type { ReturnAddress } from '@shopfleet/contracts';

type Place = Pick<ReturnAddress, 'province' | 'city' | 'district' | 'detail'>;

/** Province, city, district and street, space-separated; a municipality's name is not said twice (北京市 东城区 …). */
export function addressLine(a: Place): string {
  const parts = [a.province, a.city === a.province ? '' : a.city, a.district === a.city ? '' : a.district, a.detail];
  return parts.filter(Boolean).join(' ');
}
