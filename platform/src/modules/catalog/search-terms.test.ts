import { indexTerms, queryTerms } from './search-terms';

const finds = (title: string, query: string) => {
  const index = new Set(indexTerms(title));
  return queryTerms(query).every((t) => index.has(t));
};

describe('search terms', () => {
  it('finds a Chinese title by any part of it', () => {
    expect(finds('无线蓝牙耳机', '蓝牙耳机')).toBe(true);
    expect(finds('无线蓝牙耳机', '耳机')).toBe(true);
    expect(finds('无线蓝牙耳机', '机')).toBe(true);
    expect(finds('无线蓝牙耳机', '有线耳机')).toBe(false);
    expect(finds('经典纯棉保温杯', '保温杯')).toBe(true);
  });

  it('finds English words by prefix and case-insensitively, plural or singular', () => {
    expect(finds('Classic Cotton Headphones', 'headphones')).toBe(true);
    expect(finds('Classic Cotton Headphones', 'HEAD')).toBe(true);
    expect(finds('Classic Cotton Headphones', 'headphone')).toBe(true);
    expect(finds('Rugged Steel Chairs', 'chair')).toBe(true);
    expect(finds('Classic Cotton Headphones', 'cotton mug')).toBe(false);
  });

  it('mixes scripts in one title and one query', () => {
    expect(finds('Apple 无线耳机 AirPods', 'airpods 耳机')).toBe(true);
    expect(finds('全棉T恤', 't恤')).toBe(true);
  });

  it('ignores punctuation and keeps terms short', () => {
    expect(queryTerms('  ，。!! ')).toEqual([]);
    expect(indexTerms('x'.repeat(100)).every((t) => t.length <= 32)).toBe(true);
  });
});
