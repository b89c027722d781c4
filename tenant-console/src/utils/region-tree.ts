/**
 * China's provinces, cities and districts for the console's address forms (the return addresses), as el-cascader
 * options. The table is the shop's own (template-miniapp/src/data/regions.ts, generated from GB/T 2260 codes by its
 * scripts/gen-regions.mjs): one table for both front ends, never a second copy to drift; it is ~60 KB, so it is
 * loaded only when a form needs it.
 */
import type { RegionProvince } from '../../../template-miniapp/src/data/regions';

/** A type, not an interface, so that it fits el-cascader's option type (which has an index signature). */
export type RegionNode = {
  /** A province's 2-digit code, a city's `<province>-<index>`, a district's 6-digit code (the leaf). */
  value: string;
  label: string;
  children?: RegionNode[];
};

/** A district as an address stores it: the 6-digit code the server wants, and the three names. */
export interface Region {
  regionCode: string;
  province: string;
  city: string;
  district: string;
}

export interface RegionTree {
  options: RegionNode[];
  /** A district by its code: its cascader path and names. */
  byCode: ReadonlyMap<string, { path: string[]; region: Region }>;
}

/**
 * The cascader's tree of the table. A district token is its code's last four digits then its name ("0102鼓楼区"); a
 * province the table gives no cities (台湾, 香港, 澳门) is one region, code pp0000, named after itself three times.
 */
export function buildRegionTree(table: readonly RegionProvince[]): RegionTree {
  const byCode = new Map<string, { path: string[]; region: Region }>();
  const options = table.map(([code, province, cities]): RegionNode => {
    if (cities.length === 0) {
      const regionCode = `${code}0000`;
      byCode.set(regionCode, {
        path: [regionCode],
        region: { regionCode, province, city: province, district: province },
      });
      return { value: regionCode, label: province };
    }
    const children = cities.map(([city, districts], index): RegionNode => {
      const cityValue = `${code}-${index}`;
      const leaves = districts
        .split(' ')
        .filter(Boolean)
        .map((token): RegionNode => {
          const regionCode = code + token.slice(0, 4);
          const district = token.slice(4);
          byCode.set(regionCode, {
            path: [code, cityValue, regionCode],
            region: { regionCode, province, city, district },
          });
          return { value: regionCode, label: district };
        });
      return { value: cityValue, label: city, children: leaves };
    });
    return { value: code, label: province, children };
  });
  return { options, byCode };
}

let loading: Promise<RegionTree> | null = null;

/** The tree, built once per page load from the table fetched on first use. */
export function loadRegionTree(): Promise<RegionTree> {
  loading ??= import('../../../template-miniapp/src/data/regions')
    .then(({ REGION_TABLE }) => buildRegionTree(REGION_TABLE))
    .catch((error: unknown) => {
      loading = null;
      throw error;
    });
  return loading;
}
