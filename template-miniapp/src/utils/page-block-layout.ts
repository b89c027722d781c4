import type { ShopBlock } from '@shopfleet/contracts';

/** The screen's width in rpx (uni's unit: 750 to any screen's width). */
export const SCREEN_RPX = 750;
/** A block's width inside the page's side margins (24rpx each). */
const CONTENT_RPX = 702;
/** Below a product card's square picture: title, tags, price and sales, the paddings and the gap to the next row. */
const CARD_BODY_RPX = 216;

/**
 * A block's height in rpx before it renders, from its settings and content (within a tenth or so of what the block
 * styles make): enough to tell which blocks make up the first screens.
 */
export function estimatedHeight(block: ShopBlock): number {
  switch (block.type) {
    case 'searchBar':
      return 92;
    case 'banner':
      return 20 + Math.round((CONTENT_RPX * block.heightRatio) / 1000);
    case 'hotImage':
      return 20 + (block.image ? Math.round((CONTENT_RPX * block.image.height) / Math.max(1, block.image.width)) : 0);
    case 'navGrid':
      return 24 + Math.ceil(block.items.length / block.columns) * 170;
    case 'notice':
      return 96;
    case 'productList':
      return (
        28 +
        (block.title ? 64 : 0) +
        Math.ceil(block.products.length / block.columns) * (CONTENT_RPX / block.columns + CARD_BODY_RPX)
      );
    case 'coupons':
      return 180;
    case 'flashSale':
      return 330;
    case 'groupBuy':
      return 84 + block.campaigns.length * 216;
    case 'richText':
      return 320;
    case 'spacer':
      return block.height * 2;
    case 'shopInfo':
      return 180;
    case 'recommendations':
      return 600;
  }
}

/** How many blocks from `from` on it takes to fill `heightRpx` (at least one while any are left). */
export function blocksToFill(blocks: readonly ShopBlock[], from: number, heightRpx: number): number {
  let height = 0;
  let n = 0;
  while (from + n < blocks.length && (n === 0 || height < heightRpx)) {
    height += estimatedHeight(blocks[from + n]!);
    n += 1;
  }
  return n;
}
