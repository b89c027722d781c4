import type { merchantApi, shopApi } from '@shopfleet/contracts';
import type { Handlers } from '../../kernel/http/endpoint-router';
import type { MembersService } from './members.service';

export function merchantMemberHandlers(members: MembersService) {
  return {
    listMembers: (ctx, { query }) => members.list(ctx, query),
    getMember: (ctx, { params }) => members.get(ctx, params.id),
    memberPoints: (ctx, { params, query }) => members.pointsOf(ctx, params.id, query.page, query.pageSize),
    adjustPoints: (ctx, { params, body }) => members.adjust(ctx, params.id, body.delta, body.reason),
    listMemberLevels: (ctx) => members.levels(ctx),
    createMemberLevel: (ctx, { body }) => members.createLevel(ctx, body),
    updateMemberLevel: (ctx, { params, body }) => members.updateLevel(ctx, params.id, body),
    deleteMemberLevel: (ctx, { params }) => members.deleteLevel(ctx, params.id),
    getMemberSettings: (ctx) => members.settings(ctx),
    updateMemberSettings: (ctx, { body }) => members.updateSettings(ctx, body),
  } satisfies Partial<Handlers<typeof merchantApi>>;
}

export function shopMemberHandlers(members: MembersService) {
  return {
    memberCentre: (ctx) => members.centre(ctx),
    signIn: (ctx) => members.signIn(ctx),
    myPoints: (ctx, { query }) => members.myPoints(ctx, query.page, query.pageSize),
    myFavourites: (ctx, { query }) => members.favourites(ctx, query.page, query.pageSize),
    favouriteState: (ctx, { params }) => members.isFavourite(ctx, params.productId),
    addFavourite: (ctx, { params }) => members.addFavourite(ctx, params.productId),
    removeFavourite: (ctx, { params }) => members.removeFavourite(ctx, params.productId),
    myHistory: (ctx, { query }) => members.history(ctx, query.page, query.pageSize),
    recordView: (ctx, { body }) => members.recordView(ctx, body.productId),
    clearHistory: (ctx) => members.clearHistory(ctx),
  } satisfies Partial<Handlers<typeof shopApi>>;
}
