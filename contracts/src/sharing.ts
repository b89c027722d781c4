import { z } from 'zod';
import { idSchema, shopParamsSchema } from './common';
import { SHARE_CHANNELS, SHARE_CODE_PATTERN, SHARE_PAGES } from './sharing.constants';

export const shareCodeSchema = z.string().regex(SHARE_CODE_PATTERN, '4 to 10 letters or digits');

/** What the shopper shares: a product of the shop. */
export const shareBodySchema = z.strictObject({ productId: idSchema });
export type ShareBody = z.infer<typeof shareBodySchema>;

/** The poster of a product, for the mini-program (with its wxacode) or the h5 shop (with a QR code of its link). */
export const posterBodySchema = z.strictObject({ productId: idSchema, channel: z.enum(SHARE_CHANNELS) });
export type PosterBody = z.infer<typeof posterBodySchema>;

/** A shopper's share of a page: always the same code for the same sharer and target. */
export const shareSchema = z
  .object({
    code: z.string(),
    page: z.enum(SHARE_PAGES),
    targetId: z.number().int(),
    /** The wxacode's scene: `c=<code>`, at most 32 characters. */
    scene: z.string(),
    /** The mini-program page a chat share opens, from the root, with the code (`/pages/product/detail?id=…&c=…`). */
    path: z.string(),
    /** The h5 shop's address of the page, with the code. */
    link: z.string(),
  })
  .meta({ id: 'Share' });
export type Share = z.infer<typeof shareSchema>;

export const posterSchema = z
  .object({
    share: shareSchema,
    channel: z.enum(SHARE_CHANNELS),
    /** The mini-program code (mp-weixin) or the QR code of the link (h5), an image generated once per code. */
    codeImageUrl: z.string(),
    /** The poster (JPEG), drawn once for what it shows: a new price, title or picture draws a new one. */
    posterUrl: z.string(),
    width: z.number().int(),
    height: z.number().int(),
  })
  .meta({ id: 'SharePoster' });
export type SharePoster = z.infer<typeof posterSchema>;

export const shareCodeParamsSchema = shopParamsSchema.extend({ code: shareCodeSchema });

/** What a landing page learns from a code: the page to open and who shared it (as other shoppers see them). */
export const shareArrivalSchema = z
  .object({
    code: z.string(),
    page: z.enum(SHARE_PAGES),
    targetId: z.number().int(),
    sharer: z.object({ nickname: z.string().nullable(), avatarUrl: z.string().nullable() }).nullable(),
  })
  .meta({ id: 'ShareArrival' });
export type ShareArrival = z.infer<typeof shareArrivalSchema>;
