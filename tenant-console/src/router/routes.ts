import type { RouteRecordRaw } from 'vue-router';
import {
  AlarmClock,
  Box,
  Brush,
  ChatDotRound,
  ChatLineRound,
  ChatLineSquare,
  CreditCard,
  DataAnalysis,
  Document,
  Discount,
  Flag,
  DocumentChecked,
  Coin,
  Connection,
  Histogram,
  Goods,
  Headset,
  House,
  Iphone,
  Lightning,
  MagicStick,
  List,
  Location,
  Medal,
  Menu,
  Monitor,
  OfficeBuilding,
  Odometer,
  Present,
  Promotion,
  Service,
  SetUp,
  Share,
  Shop,
  ShoppingBag,
  Stamp,
  Ticket,
  Tickets,
  Timer,
  Upload,
  User,
  UserFilled,
  Van,
  Warning,
} from '@element-plus/icons-vue';
import type { ConsoleAudience } from '@/api/request';

export const LOGIN_ROUTE: Record<ConsoleAudience, string> = { merchant: 'merchant-login', platform: 'platform-login' };
export const HOME_ROUTE: Record<ConsoleAudience, string> = {
  merchant: 'merchant-dashboard',
  platform: 'platform-tenants',
};
export const FORBIDDEN_ROUTE: Record<ConsoleAudience, string> = {
  merchant: 'merchant-forbidden',
  platform: 'platform-forbidden',
};
/** A shop under review lands here after signing in. */
export const ONBOARDING_ROUTE = 'merchant-onboarding';

const LoginView = () => import('@/views/auth/login/index.vue');
const ProductEditorView = () => import('@/views/merchant/catalog/product-editor/index.vue');

/** 商品 / Catalog: a menu group; editing needs catalog:product:manage on top of reading (checked per action). */
const catalogRoutes: RouteRecordRaw[] = [
  {
    path: 'categories',
    name: 'merchant-catalog-categories',
    component: () => import('@/views/merchant/catalog/categories/index.vue'),
    meta: { title: 'menu.catalogCategories', menuIcon: Menu },
  },
  {
    path: 'products',
    name: 'merchant-catalog-products',
    component: () => import('@/views/merchant/catalog/products/index.vue'),
    meta: { title: 'menu.catalogProducts', menuIcon: Goods },
  },
  {
    path: 'products/new',
    name: 'merchant-catalog-product-new',
    component: ProductEditorView,
    props: { id: null },
    meta: {
      title: 'catalog.editor.newTitle',
      permission: 'catalog:product:manage',
      activeMenu: 'merchant-catalog-products',
    },
  },
  {
    path: 'products/:id(\\d+)',
    name: 'merchant-catalog-product-edit',
    component: ProductEditorView,
    props: (route) => ({ id: Number(route.params.id) }),
    meta: { title: 'catalog.editor.editTitle', activeMenu: 'merchant-catalog-products' },
  },
  {
    path: 'import',
    name: 'merchant-catalog-import',
    component: () => import('@/views/merchant/catalog/import/index.vue'),
    meta: { title: 'menu.catalogImport', menuIcon: Upload },
  },
  {
    path: 'home',
    name: 'merchant-catalog-home',
    component: () => import('@/views/merchant/catalog/home/index.vue'),
    meta: { title: 'menu.catalogHome', menuIcon: House },
  },
];

/**
 * 订单 / Orders: a menu group of the order list (and an order's page), freight templates with the
 * order settings, payment settings and product reviews. Each page asks for its own permission; pages
 * other than the order list keep their own top-level paths.
 */
const orderRoutes: RouteRecordRaw[] = [
  {
    path: '',
    name: 'merchant-orders',
    component: () => import('@/views/merchant/orders/list/index.vue'),
    meta: { title: 'menu.orders', menuIcon: List, permission: 'order:order:read' },
  },
  {
    path: ':id(\\d+)',
    name: 'merchant-order-detail',
    component: () => import('@/views/merchant/orders/detail/index.vue'),
    props: (route) => ({ id: Number(route.params.id) }),
    meta: { title: 'orders.detail.title', permission: 'order:order:read', activeMenu: 'merchant-orders' },
  },
  {
    path: '/freight-templates',
    name: 'merchant-freight-templates',
    component: () => import('@/views/merchant/orders/freight-templates/index.vue'),
    meta: { title: 'menu.freightTemplates', menuIcon: Van, permission: 'order:order:read' },
  },
  {
    path: '/payment-settings',
    name: 'merchant-payment-settings',
    component: () => import('@/views/merchant/orders/payments/index.vue'),
    meta: { title: 'menu.paymentSettings', menuIcon: CreditCard, permission: 'payment:settings:manage' },
  },
  {
    path: '/product-reviews',
    name: 'merchant-product-reviews',
    component: () => import('@/views/merchant/orders/product-reviews/index.vue'),
    meta: { title: 'menu.productReviews', menuIcon: ChatLineSquare, permission: 'review:review:manage' },
  },
];
/**
 * 小程序 / Mini-program: a menu group of the shop's WeChat mini-program: the authorization to the
 * platform, its appearance (with a live preview) and the releases to WeChat. Each page asks for its own
 * permission (saving the appearance needs shop:settings:update, acting on a release
 * miniapp:release:manage, checked per action).
 */
const miniappRoutes: RouteRecordRaw[] = [
  {
    path: 'authorization',
    name: 'merchant-miniapp-authorization',
    component: () => import('@/views/merchant/miniapp/authorization/index.vue'),
    meta: { title: 'menu.miniappAuthorization', menuIcon: Connection, permission: 'shop:settings:read' },
  },
  {
    path: 'appearance',
    name: 'merchant-miniapp-appearance',
    component: () => import('@/views/merchant/miniapp/appearance/index.vue'),
    meta: { title: 'menu.miniappAppearance', menuIcon: Brush, permission: 'shop:settings:read' },
  },
  {
    path: 'design',
    name: 'merchant-design',
    component: () => import('@/views/merchant/design/index.vue'),
    meta: { title: 'menu.design', menuIcon: MagicStick, permission: 'shop:design:read' },
  },
  {
    path: 'design/:id(\\d+)',
    name: 'merchant-design-page',
    component: () => import('@/views/merchant/design/editor/index.vue'),
    meta: { title: 'design.editorTitle', permission: 'shop:design:read', activeMenu: 'merchant-design' },
  },
  {
    path: 'release',
    name: 'merchant-miniapp-release',
    component: () => import('@/views/merchant/miniapp/release/index.vue'),
    meta: { title: 'menu.miniappRelease', menuIcon: Promotion, permission: 'shop:settings:read' },
  },
];
/**
 * 营销 / Marketing: a menu group of coupons, 满减/满折, 限时折扣 and 秒杀, each a list and a page to create one (秒杀 also a
 * session's page). Lists need the read permission of coupons or promotions; creating needs the manage one (acting in a
 * list is checked per action).
 */
const marketingRoutes: RouteRecordRaw[] = [
  {
    path: 'coupons',
    name: 'merchant-marketing-coupons',
    component: () => import('@/views/merchant/marketing/coupons/index.vue'),
    meta: { title: 'menu.coupons', menuIcon: Ticket, permission: 'marketing:coupon:read' },
  },
  {
    path: 'coupons/new',
    name: 'merchant-marketing-coupon-new',
    component: () => import('@/views/merchant/marketing/coupon-editor/index.vue'),
    meta: {
      title: 'marketing.coupons.newTitle',
      permission: 'marketing:coupon:manage',
      activeMenu: 'merchant-marketing-coupons',
    },
  },
  {
    path: 'full-reductions',
    name: 'merchant-marketing-full-reductions',
    component: () => import('@/views/merchant/marketing/full-reductions/index.vue'),
    meta: { title: 'menu.fullReductions', menuIcon: Discount, permission: 'marketing:promotion:read' },
  },
  {
    path: 'full-reductions/new',
    name: 'merchant-marketing-full-reduction-new',
    component: () => import('@/views/merchant/marketing/full-reduction-editor/index.vue'),
    meta: {
      title: 'marketing.fullReductions.newTitle',
      permission: 'marketing:promotion:manage',
      activeMenu: 'merchant-marketing-full-reductions',
    },
  },
  {
    path: 'timed-discounts',
    name: 'merchant-marketing-timed-discounts',
    component: () => import('@/views/merchant/marketing/timed-discounts/index.vue'),
    meta: { title: 'menu.timedDiscounts', menuIcon: AlarmClock, permission: 'marketing:promotion:read' },
  },
  {
    path: 'timed-discounts/new',
    name: 'merchant-marketing-timed-discount-new',
    component: () => import('@/views/merchant/marketing/timed-discount-editor/index.vue'),
    meta: {
      title: 'marketing.timedDiscounts.newTitle',
      permission: 'marketing:promotion:manage',
      activeMenu: 'merchant-marketing-timed-discounts',
    },
  },
  {
    path: 'flash-sales',
    name: 'merchant-marketing-flash-sales',
    component: () => import('@/views/merchant/marketing/flash-sales/index.vue'),
    meta: { title: 'marketing.flashSales.title', menuIcon: Lightning, permission: 'marketing:promotion:read' },
  },
  {
    path: 'flash-sales/new',
    name: 'merchant-marketing-flash-sale-new',
    component: () => import('@/views/merchant/marketing/flash-sale-editor/index.vue'),
    meta: {
      title: 'marketing.flashSales.newTitle',
      permission: 'marketing:promotion:manage',
      activeMenu: 'merchant-marketing-flash-sales',
    },
  },
  {
    path: 'flash-sales/:id(\\d+)',
    name: 'merchant-marketing-flash-sale-detail',
    component: () => import('@/views/merchant/marketing/flash-sale-detail/index.vue'),
    props: (route) => ({ id: Number(route.params.id) }),
    meta: {
      title: 'marketing.flashSales.detailTitle',
      permission: 'marketing:promotion:read',
      activeMenu: 'merchant-marketing-flash-sales',
    },
  },
  {
    path: 'group-buys',
    name: 'merchant-marketing-group-buys',
    component: () => import('@/views/merchant/marketing/group-buys/index.vue'),
    meta: { title: 'marketing.groupBuys.title', menuIcon: Share, permission: 'marketing:promotion:read' },
  },
  {
    path: 'group-buys/new',
    name: 'merchant-marketing-group-buy-new',
    component: () => import('@/views/merchant/marketing/group-buy-editor/index.vue'),
    meta: {
      title: 'marketing.groupBuys.newTitle',
      permission: 'marketing:promotion:manage',
      activeMenu: 'merchant-marketing-group-buys',
    },
  },
  {
    path: 'group-buys/groups',
    name: 'merchant-marketing-group-buy-groups',
    component: () => import('@/views/merchant/marketing/group-buy-groups/index.vue'),
    meta: {
      title: 'marketing.groupBuys.groupsTitle',
      permission: 'marketing:promotion:read',
      activeMenu: 'merchant-marketing-group-buys',
    },
  },
];
/**
 * 分销 / Distribution: the figures, the distributors (a distributor's team and money in a drawer over the list), the rules
 * with the per-product rates, the commission of attributed orders and the withdrawals. Reading needs
 * distribution:commission:read; deciding, saving and paying need distribution:commission:manage (checked per action).
 */
const distributionRoutes: RouteRecordRaw[] = [
  {
    path: '',
    name: 'merchant-distribution-overview',
    component: () => import('@/views/merchant/distribution/overview/index.vue'),
    meta: { title: 'distribution.menu.overview', menuIcon: Odometer, permission: 'distribution:commission:read' },
  },
  {
    path: 'distributors',
    name: 'merchant-distributors',
    component: () => import('@/views/merchant/distribution/distributors/index.vue'),
    meta: { title: 'distribution.menu.distributors', menuIcon: UserFilled, permission: 'distribution:commission:read' },
  },
  {
    path: 'rules',
    name: 'merchant-distribution-rules',
    component: () => import('@/views/merchant/distribution/rules/index.vue'),
    meta: { title: 'distribution.menu.rules', menuIcon: SetUp, permission: 'distribution:commission:read' },
  },
  {
    path: 'commissions',
    name: 'merchant-commissions',
    component: () => import('@/views/merchant/distribution/commissions/index.vue'),
    meta: { title: 'distribution.menu.commissions', menuIcon: Tickets, permission: 'distribution:commission:read' },
  },
  {
    path: 'withdrawals',
    name: 'merchant-withdrawals',
    component: () => import('@/views/merchant/distribution/withdrawals/index.vue'),
    meta: { title: 'distribution.menu.withdrawals', menuIcon: CreditCard, permission: 'distribution:commission:read' },
  },
];
/**
 * 售后 / After-sales: a menu group of the cases (by state, and a case's page with the merchant's steps), the complaints
 * against the shop (by state, and a complaint's page where the shop states its side), the shop's return addresses and
 * its timers. Reading needs aftersale:case:read; acting on a case, answering a complaint, changing an address or a
 * timer needs aftersale:case:manage (checked per action).
 */
const afterSalesRoutes: RouteRecordRaw[] = [
  {
    path: '',
    name: 'merchant-after-sales-list',
    component: () => import('@/views/merchant/after-sales/list/index.vue'),
    meta: { title: 'afterSales.menu.list', menuIcon: List, permission: 'aftersale:case:read' },
  },
  {
    path: ':id(\\d+)',
    name: 'merchant-after-sales-detail',
    component: () => import('@/views/merchant/after-sales/detail/index.vue'),
    props: (route) => ({ id: Number(route.params.id) }),
    meta: {
      title: 'afterSales.detail.title',
      permission: 'aftersale:case:read',
      activeMenu: 'merchant-after-sales-list',
    },
  },
  {
    path: 'complaints',
    name: 'merchant-complaints',
    component: () => import('@/views/merchant/after-sales/complaints/list/index.vue'),
    meta: { title: 'afterSales.complaints.menu', menuIcon: Warning, permission: 'aftersale:case:read' },
  },
  {
    path: 'complaints/:id(\\d+)',
    name: 'merchant-complaint-detail',
    component: () => import('@/views/merchant/after-sales/complaints/detail/index.vue'),
    props: (route) => ({ id: Number(route.params.id) }),
    meta: {
      title: 'afterSales.complaints.detail.title',
      permission: 'aftersale:case:read',
      activeMenu: 'merchant-complaints',
    },
  },
  {
    path: 'return-addresses',
    name: 'merchant-return-addresses',
    component: () => import('@/views/merchant/after-sales/return-addresses/index.vue'),
    meta: { title: 'afterSales.menu.returnAddresses', menuIcon: Location, permission: 'aftersale:case:read' },
  },
  {
    path: 'settings',
    name: 'merchant-after-sales-settings',
    component: () => import('@/views/merchant/after-sales/settings/index.vue'),
    meta: { title: 'afterSales.menu.settings', menuIcon: Timer, permission: 'aftersale:case:read' },
  },
];
/**
 * 客服 / Customer service: the workspace (the inbox, a conversation, its shopper; `?c=<id>` opens one) and the shop's
 * quick replies. Both need support:conversation:manage.
 */
const supportRoutes: RouteRecordRaw[] = [
  {
    path: '',
    name: 'merchant-support-workspace',
    component: () => import('@/views/merchant/support/workspace/index.vue'),
    meta: { title: 'support.menu.workspace', menuIcon: ChatDotRound, permission: 'support:conversation:manage' },
  },
  {
    path: 'quick-replies',
    name: 'merchant-support-quick-replies',
    component: () => import('@/views/merchant/support/quick-replies/index.vue'),
    meta: { title: 'support.menu.quickReplies', menuIcon: ChatLineRound, permission: 'support:conversation:manage' },
  },
];
/**
 * 会员 / Members: the member list (a member's detail in a drawer over it), the levels and the points rules. Reading needs
 * customer:shopper:read; adjusting points, levels and rules customer:member:manage (checked per action).
 */
const memberRoutes: RouteRecordRaw[] = [
  {
    path: '',
    name: 'merchant-members-list',
    component: () => import('@/views/merchant/members/list/index.vue'),
    meta: { title: 'members.menu.list', menuIcon: User, permission: 'customer:shopper:read' },
  },
  {
    path: 'levels',
    name: 'merchant-member-levels',
    component: () => import('@/views/merchant/members/levels/index.vue'),
    meta: { title: 'members.menu.levels', menuIcon: Medal, permission: 'customer:shopper:read' },
  },
  {
    path: 'rules',
    name: 'merchant-member-rules',
    component: () => import('@/views/merchant/members/rules/index.vue'),
    meta: { title: 'members.menu.rules', menuIcon: Coin, permission: 'customer:shopper:read' },
  },
];
const ForbiddenView = () => import('@/views/error/forbidden/index.vue');

export const merchantRoutes: RouteRecordRaw[] = [
  {
    path: '',
    name: 'merchant-dashboard',
    component: () => import('@/views/merchant/dashboard/index.vue'),
    meta: { title: 'menu.dashboard', menuIcon: Odometer },
  },
  {
    path: 'onboarding',
    name: ONBOARDING_ROUTE,
    component: () => import('@/views/merchant/onboarding/index.vue'),
    meta: { title: 'menu.onboarding', menuIcon: DocumentChecked, permission: 'onboarding:document:read' },
  },
  {
    path: 'shop',
    name: 'merchant-shop',
    component: () => import('@/views/merchant/shop/index.vue'),
    meta: { title: 'menu.shop', menuIcon: Shop, permission: 'shop:settings:read' },
  },
  {
    path: 'catalog',
    name: 'merchant-catalog',
    redirect: { name: 'merchant-catalog-products' },
    meta: { title: 'menu.catalog', menuIcon: ShoppingBag, permission: 'catalog:product:read' },
    children: catalogRoutes,
  },
  {
    path: 'orders',
    name: 'merchant-order-center',
    redirect: { name: 'merchant-orders' },
    meta: { title: 'menu.orderCenter', menuIcon: Tickets },
    children: orderRoutes,
  },
  {
    path: 'after-sales',
    name: 'merchant-after-sales',
    redirect: { name: 'merchant-after-sales-list' },
    meta: { title: 'afterSales.menu.group', menuIcon: Service },
    children: afterSalesRoutes,
  },
  {
    path: 'support',
    name: 'merchant-support',
    redirect: { name: 'merchant-support-workspace' },
    meta: { title: 'support.menu.group', menuIcon: Headset },
    children: supportRoutes,
  },
  {
    path: 'marketing',
    name: 'merchant-marketing',
    redirect: { name: 'merchant-marketing-coupons' },
    meta: { title: 'menu.marketing', menuIcon: Present },
    children: marketingRoutes,
  },
  {
    path: 'distribution',
    name: 'merchant-distribution',
    redirect: { name: 'merchant-distribution-overview' },
    meta: { title: 'distribution.menu.group', menuIcon: Share, permission: 'distribution:commission:read' },
    children: distributionRoutes,
  },
  {
    path: 'miniapp',
    name: 'merchant-miniapp',
    redirect: { name: 'merchant-miniapp-authorization' },
    meta: { title: 'menu.miniapp', menuIcon: Iphone },
    children: miniappRoutes,
  },
  {
    path: 'staff',
    name: 'merchant-staff',
    component: () => import('@/views/merchant/staff/index.vue'),
    meta: { title: 'menu.staff', menuIcon: User, permission: 'staff:member:read' },
  },
  {
    path: 'members',
    name: 'merchant-members',
    redirect: { name: 'merchant-members-list' },
    meta: { title: 'members.menu.group', menuIcon: UserFilled, permission: 'customer:shopper:read' },
    children: memberRoutes,
  },
  {
    path: 'data',
    name: 'merchant-data',
    component: () => import('@/views/merchant/data/overview/index.vue'),
    meta: { title: 'menu.data', menuIcon: DataAnalysis, permission: 'data:analytics:read' },
  },
  // The shoppers list before members: the member list is its better self.
  { path: 'shoppers', name: 'merchant-shoppers', redirect: { name: 'merchant-members-list' } },
  {
    path: 'audit',
    name: 'merchant-audit',
    component: () => import('@/views/merchant/audit/index.vue'),
    meta: { title: 'menu.audit', menuIcon: Document, permission: 'audit:log:read' },
  },
  {
    path: 'notifications',
    name: 'merchant-notifications',
    component: () => import('@/views/merchant/notifications/index.vue'),
    meta: { title: 'notifications.title' },
  },
  { path: '403', name: 'merchant-forbidden', component: ForbiddenView, meta: { title: 'forbidden.title' } },
];

export const platformRoutes: RouteRecordRaw[] = [
  { path: '', name: 'platform-home', redirect: { name: 'platform-tenants' } },
  {
    path: 'tenants',
    name: 'platform-tenants',
    component: () => import('@/views/platform/tenants/index.vue'),
    meta: { title: 'menu.tenants', menuIcon: OfficeBuilding, permission: 'platform:tenant:read' },
  },
  {
    path: 'tenants/:id(\\d+)',
    name: 'platform-tenant-detail',
    component: () => import('@/views/platform/tenant-detail/index.vue'),
    props: (route) => ({ id: Number(route.params.id) }),
    meta: { title: 'tenantDetail.title', permission: 'platform:tenant:read', activeMenu: 'platform-tenants' },
  },
  {
    path: 'qualification-reviews',
    name: 'platform-qualification-reviews',
    component: () => import('@/views/platform/qualification-reviews/queue/index.vue'),
    meta: { title: 'menu.qualificationReviews', menuIcon: Stamp, permission: 'platform:review:read' },
  },
  {
    path: 'qualification-reviews/:tenantId(\\d+)/:documentId(\\d+)',
    name: 'platform-qualification-review',
    component: () => import('@/views/platform/qualification-reviews/detail/index.vue'),
    props: (route) => ({ tenantId: Number(route.params.tenantId), documentId: Number(route.params.documentId) }),
    meta: {
      title: 'qualificationReview.title',
      permission: 'platform:review:read',
      activeMenu: 'platform-qualification-reviews',
    },
  },
  {
    path: 'arbitration',
    name: 'platform-arbitration',
    component: () => import('@/views/platform/arbitration/queue/index.vue'),
    meta: { title: 'afterSales.arbitration.menu', menuIcon: Flag, permission: 'platform:complaint:read' },
  },
  {
    path: 'arbitration/:id(\\d+)',
    name: 'platform-arbitration-detail',
    component: () => import('@/views/platform/arbitration/detail/index.vue'),
    props: (route) => ({ id: Number(route.params.id) }),
    meta: {
      title: 'afterSales.arbitration.detail.title',
      permission: 'platform:complaint:read',
      activeMenu: 'platform-arbitration',
    },
  },
  {
    path: 'rules',
    name: 'platform-rules',
    component: () => import('@/views/platform/rules/index.vue'),
    meta: { title: 'menu.rules', menuIcon: SetUp, permission: 'platform:tenant:read' },
  },
  {
    path: 'templates',
    name: 'platform-templates',
    component: () => import('@/views/platform/templates/index.vue'),
    meta: { title: 'menu.templates', menuIcon: Box, permission: 'platform:release:manage' },
  },
  {
    path: 'bulk-rollouts',
    name: 'platform-bulk-rollouts',
    component: () => import('@/views/platform/bulk-rollouts/index.vue'),
    meta: { title: 'menu.bulkRollouts', menuIcon: Promotion, permission: 'platform:release:manage' },
  },
  {
    path: 'figures',
    name: 'platform-figures',
    component: () => import('@/views/platform/figures/index.vue'),
    meta: { title: 'menu.platformFigures', menuIcon: DataAnalysis, permission: 'platform:figures:read' },
  },
  {
    path: 'usage',
    name: 'platform-usage',
    component: () => import('@/views/platform/usage/index.vue'),
    meta: { title: 'menu.usage', menuIcon: Histogram, permission: 'platform:figures:read' },
  },
  {
    path: 'audit',
    name: 'platform-audit',
    component: () => import('@/views/platform/audit/index.vue'),
    meta: { title: 'menu.platformAudit', menuIcon: Document, permission: 'platform:audit:read' },
  },
  {
    path: 'queues',
    name: 'platform-queues',
    component: () => import('@/views/platform/queues/index.vue'),
    meta: { title: 'menu.queues', menuIcon: Monitor, permission: 'platform:queue:manage' },
  },
  { path: '403', name: 'platform-forbidden', component: ForbiddenView, meta: { title: 'forbidden.title' } },
];

export const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'merchant-login',
    component: LoginView,
    props: { audience: 'merchant' },
    meta: { public: true, audience: 'merchant', title: 'login.merchantTitle' },
  },
  {
    path: '/platform/login',
    name: 'platform-login',
    component: LoginView,
    props: { audience: 'platform' },
    meta: { public: true, audience: 'platform', title: 'login.platformTitle' },
  },
  {
    path: '/signup',
    name: 'merchant-signup',
    component: () => import('@/views/auth/signup/index.vue'),
    meta: { public: true, audience: 'merchant', title: 'signup.title' },
  },
  {
    path: '/invite/:token',
    name: 'merchant-invite',
    component: () => import('@/views/auth/invite/index.vue'),
    props: (route) => ({ token: String(route.params.token) }),
    meta: { public: true, audience: 'merchant', title: 'invite.title' },
  },
  {
    path: '/platform',
    component: () => import('@/layouts/PlatformLayout.vue'),
    meta: { audience: 'platform' },
    children: platformRoutes,
  },
  {
    path: '/',
    component: () => import('@/layouts/MerchantLayout.vue'),
    meta: { audience: 'merchant' },
    children: merchantRoutes,
  },
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('@/views/error/not-found/index.vue'),
    meta: { title: 'notFound.title' },
  },
];
