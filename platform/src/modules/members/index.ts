export { membersRepository, type MembersRepository } from './members.repository';
export { pointsService, type PointsService } from './points.service';
export { membersService, type MembersService } from './members.service';
export {
  memberCheckoutService,
  fenForPoints,
  pointsForFen,
  type MemberCheckoutService,
} from './member-checkout.service';
export { memberJobs, scheduleMemberJobs, type MemberJobs } from './members.jobs';
export { merchantMemberHandlers, shopMemberHandlers } from './members.routes';
