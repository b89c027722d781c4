import type { Address, AddressInput } from '@shopfleet/contracts';

export type AddressLike = Pick<Address, 'province' | 'city' | 'district' | 'detail'>;

/** Province, city, district and detail, space-separated; a municipality's city is not said twice (Beijing, then the district). */
export function fullAddress(a: AddressLike): string {
  const parts = [a.province, a.city === a.province ? '' : a.city, a.district === a.city ? '' : a.district, a.detail];
  return parts.filter(Boolean).join(' ');
}

export function regionText(a: Pick<Address, 'province' | 'city' | 'district'>): string {
  return fullAddress({ ...a, detail: '' });
}

/** 139****5678 */
export function maskPhone(phone: string): string {
  return /^\d{11}$/.test(phone) ? `${phone.slice(0, 3)}****${phone.slice(7)}` : phone;
}

/** The input that re-saves an address as it is, with another default flag. */
export function addressInputOf(a: Address, isDefault: boolean): AddressInput {
  return {
    name: a.name,
    phone: a.phone,
    regionCode: a.regionCode,
    province: a.province,
    city: a.city,
    district: a.district,
    detail: a.detail,
    isDefault,
  };
}
