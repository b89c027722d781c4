import type { PageBlock } from '@shopfleet/contracts';
import { BLOCK_TYPES, type BlockType } from '@shopfleet/contracts/constants';

/** The palette's blocks, in order. */
export const PALETTE: readonly BlockType[] = BLOCK_TYPES;

let counter = 0;
/** A block id unique within the page (the server refuses two alike). */
export function newBlockId(type: string): string {
  counter += 1;
  return `${type}-${Date.now().toString(36)}${counter.toString(36)}`;
}

/**
 * A new block of a type with settings that pass the server's checks where they can without the merchant's
 * choice; blocks that need one (an image, a product, a campaign) start without it and the settings form asks.
 */
export function newBlock(type: BlockType): PageBlock {
  const id = newBlockId(type);
  switch (type) {
    case 'searchBar':
      return { id, type, placeholder: '' };
    case 'banner':
      return { id, type, items: [], heightRatio: 400 };
    case 'hotImage':
      return { id, type, imageId: 0, areas: [] };
    case 'navGrid':
      return { id, type, columns: 5, items: [] };
    case 'notice':
      return { id, type, text: '', link: null };
    case 'productList':
      return { id, type, title: '', source: { kind: 'rule', rule: 'newest' }, columns: 2, limit: 6 };
    case 'coupons':
      return { id, type, title: '', templateIds: [] };
    case 'flashSale':
      return { id, type, title: '', limit: 6 };
    case 'groupBuy':
      return { id, type, title: '', campaignIds: [] };
    case 'richText':
      return { id, type, html: '' };
    case 'spacer':
      return { id, type, height: 16, line: false };
    case 'shopInfo':
      return { id, type, showDescription: true };
    case 'recommendations':
      return { id, type, title: '', limit: 10 };
  }
}
