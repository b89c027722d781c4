/**
 * Which module owns each table. The owner's repository is the only code that queries it; another
 * module reaches its data through the owner's service (inside the caller's transaction where needed,
 * the transaction travelling in the context). `owners.test.ts` fails when code outside the owner
 * touches a table, and when a table has no owner.
 */
export const TABLE_OWNERS = {
  // tenants: the shops themselves
  tenants: 'tenants',
  // identity: people who sign in to the console, their shops, sessions
  platform_users: 'identity',
  merchant_users: 'identity',
  merchant_user_shops: 'identity',
  merchant_memberships: 'identity',
  staff_invitations: 'identity',
  refresh_tokens: 'identity',
  // shoppers
  shoppers: 'shoppers',
  // audit
  audit_log: 'audit',
  // notifications (the console's bell)
  notifications: 'notifications',
  // onboarding: qualification documents and their review
  business_categories: 'onboarding',
  document_types: 'onboarding',
  requirement_rules: 'onboarding',
  qualification_documents: 'onboarding',
  qualification_files: 'onboarding',
  review_queue: 'onboarding',
  // catalog
  categories: 'catalog',
  products: 'catalog',
  skus: 'catalog',
  product_facets: 'catalog',
  product_search_terms: 'catalog',
  catalog_images: 'catalog',
  catalog_home: 'catalog',
  catalog_imports: 'catalog',
  catalog_videos: 'catalog',
  // cart
  cart_items: 'cart',
  addresses: 'cart',
  // orders
  orders: 'orders',
  order_items: 'orders',
  order_events: 'orders',
  order_settings: 'orders',
  shipping_templates: 'orders',
  shopper_unpaid_orders: 'orders',
  // payments
  payments: 'payments',
  payment_settings: 'payments',
  wechatpay_sub_merchants: 'payments',
  payment_notifications: 'payments',
  payment_discrepancies: 'payments',
  refunds: 'payments',
  // reviews (shoppers' product reviews)
  reviews: 'reviews',
  // marketing: coupons and promotions
  coupon_templates: 'marketing',
  coupons: 'marketing',
  promotions: 'marketing',
  promotion_items: 'marketing',
  campaign_orders: 'marketing',
  flash_sessions: 'marketing',
  flash_items: 'marketing',
  flash_buyers: 'marketing',
  flash_orders: 'marketing',
  group_campaigns: 'marketing',
  group_campaign_items: 'marketing',
  group_buy_groups: 'marketing',
  group_buy_members: 'marketing',
  group_buy_buyers: 'marketing',
  // members: levels, points, sign-in, favourites, history
  member_settings: 'members',
  member_levels: 'members',
  members: 'members',
  points_lots: 'members',
  points_ledger: 'members',
  member_orders: 'members',
  sign_ins: 'members',
  favourites: 'members',
  browse_history: 'members',
  // distribution: distributors, bindings, commission, withdrawals
  distribution_settings: 'distribution',
  distributors: 'distribution',
  distribution_bindings: 'distribution',
  distribution_binding_log: 'distribution',
  commission_rules: 'distribution',
  distribution_orders: 'distribution',
  commissions: 'distribution',
  commission_ledger: 'distribution',
  withdrawals: 'distribution',
  // after-sales: cases, their history, return addresses
  after_sales_cases: 'after-sales',
  after_sales_events: 'after-sales',
  return_addresses: 'after-sales',
  after_sales_settings: 'after-sales',
  complaints: 'after-sales',
  complaint_statements: 'after-sales',
  arbitration_queue: 'after-sales',
  // support: customer-service chat
  support_conversations: 'support',
  support_messages: 'support',
  support_agents: 'support',
  support_quick_replies: 'support',
  support_settings: 'support',
  support_subscriptions: 'support',
  // sharing: share codes, their mini-program codes and posters
  share_codes: 'sharing',
  share_images: 'sharing',
  // analytics: the shop's events and their roll-ups
  analytics_events: 'analytics',
  analytics_dirty: 'analytics',
  analytics_state: 'analytics',
  analytics_hourly: 'analytics',
  analytics_daily: 'analytics',
  analytics_day_sketches: 'analytics',
  analytics_product_daily: 'analytics',
  analytics_product_monthly: 'analytics',
  // recommendations: neighbour lists, products' counts and popularity, each shop's build state
  product_similar: 'recommendations',
  recommendation_products: 'recommendations',
  recommendation_state: 'recommendations',
  // storefront: the shop designer's pages, their published versions, the tab bar and its uploaded icons
  storefront_pages: 'storefront',
  storefront_page_versions: 'storefront',
  storefront_tab_bars: 'storefront',
  storefront_tab_icons: 'storefront',
  // miniapp: the shop's WeChat mini-program authorization
  wechat_authorizations: 'miniapp',
  // releases: template builds, WeChat releases, code uploads, bulk rollouts
  template_versions: 'releases',
  tenant_packages: 'releases',
  mp_releases: 'releases',
  mp_release_events: 'releases',
  mp_upload_keys: 'releases',
  mp_code_uploads: 'releases',
  mp_code_upload_events: 'releases',
  bulk_releases: 'releases',
  bulk_release_targets: 'releases',
  // usage: each shop's metered usage by day, and the sizes of its stored files
  usage_daily: 'usage',
  usage_objects: 'usage',
  // knex's own bookkeeping
  knex_migrations: 'kernel',
  knex_migrations_lock: 'kernel',
} as const satisfies Record<string, string>;

export type OwnedTable = keyof typeof TABLE_OWNERS;
export type TableOwner = (typeof TABLE_OWNERS)[OwnedTable];
