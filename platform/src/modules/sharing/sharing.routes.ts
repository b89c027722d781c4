import type { shopApi } from '@shopfleet/contracts';
import type { Handlers } from '../../kernel/http/endpoint-router';
import type { SharingService } from './sharing.service';

/** The shopper's share, poster, and the public landing of a code. */
export function shopSharingHandlers(sharing: SharingService) {
  return {
    createShare: (ctx, { body }) => sharing.share(ctx, body),
    createSharePoster: (ctx, { body }) => sharing.poster(ctx, body),
    resolveShareCode: (ctx, { params }) => sharing.arrival(ctx, params.code),
  } satisfies Partial<Handlers<typeof shopApi>>;
}
