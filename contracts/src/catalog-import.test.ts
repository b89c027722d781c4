import { formatImportRowError, type ImportRowError } from './catalog-import';

describe('formatImportRowError', () => {
  const error = { code: 'NOT_YUAN', params: { column: 'price_yuan', value: '12.345' } } as const;

  it('renders a row error from its code, naming the column by its Chinese header in zh-CN and by its key in en', () => {
    expect(formatImportRowError(error, 'zh-CN')).toBe('价格(元)“12.345”不是有效金额（单位：元，最多两位小数）');
    expect(formatImportRowError(error, 'en')).toBe(
      'price_yuan: "12.345" is not an amount in yuan (at most 2 decimals)',
    );
    expect(formatImportRowError({ code: 'REJECTED_WITH_ROW', params: { row: 6 } }, 'zh-CN')).toBe(
      '与同一商品的第 6 行一起被拒绝',
    );
  });

  it('falls back to the stored message for an error without a known code', () => {
    const legacy = { row: 2, spuCode: null, message: 'spu_code is required' } as unknown as ImportRowError;
    expect(formatImportRowError(legacy, 'zh-CN')).toBe('spu_code is required');
  });
});
