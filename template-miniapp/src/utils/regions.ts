import { REGION_CODE_PATTERN } from '@shopfleet/contracts/constants';
import { REGION_TABLE, type RegionProvince } from '../data/regions';

/** A district chosen for an address: the 6-digit GB/T 2260 code the server wants, and the three names. */
export interface Region {
  regionCode: string;
  province: string;
  city: string;
  district: string;
}

export interface RegionOption {
  /** 2 digits for a province, the index of a city in its province, 6 digits for a district. */
  key: string;
  name: string;
}

function provinceOf(code: string): RegionProvince | undefined {
  return REGION_TABLE.find((p) => p[0] === code);
}

/** "0101<name> 0102<name>" → [{ code: '110101', name: '<name>' }, …]: four code digits, then the district's name. */
function parseDistricts(provinceCode: string, districts: string): Array<{ code: string; name: string }> {
  return districts
    .split(' ')
    .filter(Boolean)
    .map((token) => ({ code: provinceCode + token.slice(0, 4), name: token.slice(4) }));
}

export function isRegionCode(code: string): boolean {
  return REGION_CODE_PATTERN.test(code);
}

export function provinceOptions(): RegionOption[] {
  return REGION_TABLE.map(([code, name]) => ({ key: code, name }));
}

/** The cities of a province; empty for Taiwan, Hong Kong and Macao, which are chosen as a whole. */
export function cityOptions(provinceCode: string): RegionOption[] {
  return (provinceOf(provinceCode)?.[2] ?? []).map(([name], index) => ({ key: String(index), name }));
}

export function districtOptions(provinceCode: string, cityIndex: number): RegionOption[] {
  const city = provinceOf(provinceCode)?.[2][cityIndex];
  return city ? parseDistricts(provinceCode, city[1]).map(({ code, name }) => ({ key: code, name })) : [];
}

/** A province without cities in the table, as one region (code pp0000). */
export function wholeProvinceRegion(provinceCode: string): Region | null {
  const province = provinceOf(provinceCode);
  if (!province || province[2].length > 0) return null;
  return { regionCode: `${province[0]}0000`, province: province[1], city: province[1], district: province[1] };
}

/** The names of a district code in the built-in table, or null when the table does not have it. */
export function resolveRegionCode(code: string): Region | null {
  if (!isRegionCode(code)) return null;
  const province = provinceOf(code.slice(0, 2));
  if (!province) return null;
  if (province[2].length === 0) return code === `${province[0]}0000` ? wholeProvinceRegion(province[0]) : null;
  for (const [cityName, districts] of province[2]) {
    const hit = parseDistricts(province[0], districts).find((d) => d.code === code);
    if (hit) return { regionCode: code, province: province[1], city: cityName, district: hit.name };
  }
  return null;
}

/** Where a district sits in the table (for opening the picker on it), or null. */
export function locateRegionCode(code: string): { provinceCode: string; cityIndex: number } | null {
  if (!isRegionCode(code)) return null;
  const province = provinceOf(code.slice(0, 2));
  if (!province) return null;
  const cityIndex = province[2].findIndex(([, districts]) =>
    parseDistricts(province[0], districts).some((d) => d.code === code),
  );
  return { provinceCode: province[0], cityIndex };
}

/** Names as WeChat spells them → the table's region, for a WeChat address that came without a usable code. */
export function findRegionByNames(province: string, city: string, district: string): Region | null {
  const p = REGION_TABLE.find(
    ([, name]) => name === province || name.startsWith(province) || province.startsWith(name),
  );
  if (!p) return null;
  if (p[2].length === 0) return wholeProvinceRegion(p[0]);
  const cities = p[2].filter(([name]) => name === city);
  const pool = cities.length ? cities : p[2];
  for (const [cityName, districts] of pool) {
    const hit = parseDistricts(p[0], districts).find((d) => d.name === district);
    if (hit) return { regionCode: hit.code, province: p[1], city: cityName, district: hit.name };
  }
  return null;
}
