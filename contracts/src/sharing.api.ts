import { endpoint, publicAccess, signedIn } from './endpoint';
import { shopParamsSchema } from './common';
import {
  posterBodySchema,
  posterSchema,
  shareArrivalSchema,
  shareBodySchema,
  shareCodeParamsSchema,
  shareSchema,
} from './sharing';

const tags = ['shop: sharing'];

/** The sharing endpoints of `/shop-api/v1` (composed in api.ts). */
export const sharingShopEndpoints = {
  createShare: endpoint({
    method: 'post',
    path: '/shops/:shopKey/shares',
    summary: "The shopper's share code of a product (the same one every time): its scene, chat path and h5 link",
    tags,
    access: signedIn('shopper'),
    params: shopParamsSchema,
    body: shareBodySchema,
    response: shareSchema,
  }),
  createSharePoster: endpoint({
    method: 'post',
    path: '/shops/:shopKey/shares/poster',
    summary:
      "The shopper's poster of a product with its mini-program code or QR code, drawn once and kept (429 SHARE_TOO_FAST, 503 SHARE_CODE_BUSY)",
    tags,
    access: signedIn('shopper'),
    params: shopParamsSchema,
    body: posterBodySchema,
    response: posterSchema,
  }),
  resolveShareCode: endpoint({
    method: 'get',
    path: '/shops/:shopKey/share-codes/:code',
    summary: 'What a share code opens, and who shared it (a landing page)',
    tags,
    access: publicAccess,
    params: shareCodeParamsSchema,
    response: shareArrivalSchema,
  }),
};
