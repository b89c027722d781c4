import { readFile } from 'node:fs/promises';
import type { MerchantOrder, PrintKind } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import { AppError } from '../../kernel/errors';
import type { Log } from '../../kernel/logger';
import type { MerchantOrdersService } from '../orders';
import { renderOrders, type PrintFont, type Sender } from './print-documents';

export interface PrintsDeps {
  merchantOrders: Pick<MerchantOrdersService, 'get'>;
  /** Who sends the shop's parcels (its name, and its default return address when it has one). */
  sender(ctx: TenantContext): Promise<Sender>;
  /** The Chinese font (`PDF_CJK_FONT`) and, for a .ttc collection, the face in it (`PDF_CJK_FONT_FACE`). */
  font: { path: string; face: string };
  now?: () => Date;
}

/** The font file, read once and kept; a missing one is the operator's to fix, said as such. */
export function printFontLoader(font: { path: string; face: string }, log?: Log) {
  let loaded: Promise<PrintFont> | null = null;
  return (): Promise<PrintFont> => {
    loaded ??= readFile(font.path).then(
      (bytes) => ({ bytes, face: /\.(ttc|otc)$/i.test(font.path) ? font.face : undefined }),
      (err: unknown) => {
        loaded = null;
        log?.error(
          { err, path: font.path },
          'no Chinese font to print with: install fonts-noto-cjk or set PDF_CJK_FONT',
        );
        throw new AppError(
          'UPSTREAM_UNAVAILABLE',
          { reason: 'PRINT_FONT_MISSING', message: 'The server has no Chinese font to print with' },
          503,
        );
      },
    );
    return loaded;
  };
}

/**
 * The merchant's printing: packing lists (发货单) and shipping labels (面单) of chosen orders, one PDF. Each order is
 * read as the merchant reads it, in the merchant's shop: an order of another shop is not found, and nothing is printed.
 */
export function printsService(deps: PrintsDeps & { log?: Log }) {
  const font = printFontLoader(deps.font, deps.log);
  const now = deps.now ?? (() => new Date());
  return {
    /** The PDF of `kind` for these orders (each once, in the order given). */
    async print(ctx: TenantContext, kind: PrintKind, orderIds: number[]): Promise<Buffer> {
      const ids = [...new Set(orderIds)];
      const orders: MerchantOrder[] = [];
      for (const id of ids) orders.push(await deps.merchantOrders.get(ctx, id));
      const [sender, f] = await Promise.all([deps.sender(ctx), font()]);
      return renderOrders(kind, orders, sender, f, now());
    },
  };
}

export type PrintsService = ReturnType<typeof printsService>;
