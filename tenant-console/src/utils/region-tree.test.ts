import { describe, expect, it } from '@jest/globals';
import type { RegionProvince } from '../../../template-miniapp/src/data/regions';
import { buildRegionTree } from './region-tree';

const TABLE: readonly RegionProvince[] = [
  ['11', '北京市', [['北京市', '0101东城区 0105朝阳区']]],
  [
    '42',
    '湖北省',
    [
      ['武汉市', '0102江岸区'],
      ['仙桃市', '9004仙桃市'],
      ['潜江市', '9005潜江市'],
    ],
  ],
  ['81', '香港特别行政区', []],
];

describe('buildRegionTree', () => {
  const tree = buildRegionTree(TABLE);

  it('makes province → city → district options, each district by its 6-digit code', () => {
    expect(tree.options[0]).toEqual({
      value: '11',
      label: '北京市',
      children: [
        {
          value: '11-0',
          label: '北京市',
          children: [
            { value: '110101', label: '东城区' },
            { value: '110105', label: '朝阳区' },
          ],
        },
      ],
    });
  });

  it('keeps cities governed by the province apart, though their codes share a prefix', () => {
    const hubei = tree.options[1]!;
    expect(hubei.children?.map((c) => c.value)).toEqual(['42-0', '42-1', '42-2']);
    expect(tree.byCode.get('429004')).toEqual({
      path: ['42', '42-1', '429004'],
      region: { regionCode: '429004', province: '湖北省', city: '仙桃市', district: '仙桃市' },
    });
  });

  it('makes a province without cities one region, and finds every district by its code', () => {
    expect(tree.options[2]).toEqual({ value: '810000', label: '香港特别行政区' });
    expect(tree.byCode.get('810000')?.region).toEqual({
      regionCode: '810000',
      province: '香港特别行政区',
      city: '香港特别行政区',
      district: '香港特别行政区',
    });
    expect(tree.byCode.get('110105')?.region).toEqual({
      regionCode: '110105',
      province: '北京市',
      city: '北京市',
      district: '朝阳区',
    });
    expect([...tree.byCode.keys()].sort()).toEqual(['110101', '110105', '420102', '429004', '429005', '810000']);
  });
});
