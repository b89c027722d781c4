import { describe, expect, it } from '@jest/globals';
import type { ProductCard, ShopBlock } from '@shopfleet/contracts';
import { blocksToFill, estimatedHeight } from './page-block-layout';

const card = (id: number) => ({ id }) as unknown as ProductCard;
const list = (id: string, products: number, columns: 1 | 2 | 3 = 2): ShopBlock => ({
  id,
  type: 'productList',
  title: 'x',
  source: { kind: 'rule', rule: 'newest' },
  columns,
  limit: products,
  products: Array.from({ length: products }, (_, i) => card(i + 1)),
});
const spacer = (id: string, height: number): ShopBlock => ({ id, type: 'spacer', height, line: false });

describe('the first screens of a designer page', () => {
  it('estimates a product list by its rows and columns', () => {
    // Two columns of 6: three rows of a square picture (351rpx) and the card's body.
    expect(estimatedHeight(list('a', 6))).toBe(28 + 64 + 3 * (351 + 216));
    expect(estimatedHeight(list('b', 3, 1))).toBeGreaterThan(estimatedHeight(list('c', 3, 3)));
    expect(estimatedHeight(spacer('s', 16))).toBe(32);
  });

  it('takes the blocks that fill the height, at least one, and none past the end', () => {
    const blocks = [spacer('a', 100), spacer('b', 100), spacer('c', 100), list('d', 10)];
    expect(blocksToFill(blocks, 0, 300)).toBe(2);
    expect(blocksToFill(blocks, 0, 401)).toBe(3);
    expect(blocksToFill(blocks, 3, 10)).toBe(1);
    expect(blocksToFill(blocks, 4, 1000)).toBe(0);
    expect(blocksToFill(blocks, 0, 100_000)).toBe(4);
  });
});
