import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import type { Knex } from 'knex';
import type { Config } from './kernel/config';
import { createKnex, ensureDatabase, migrateLatest } from './kernel/db/knex';
import { Database } from './kernel/db/database';
import { createLogger, type Logger } from './kernel/logger';
import { createRedis, type Redis } from './kernel/redis';
import { Storage } from './kernel/storage/s3';
import { startEmbeddedS3, type EmbeddedS3 } from './kernel/storage/embedded-s3';
import { Queues, queuePrefix } from './kernel/queue';
import { AccessTokens } from './kernel/auth/tokens';
import { Limiter } from './kernel/auth/rate-limit';
import { OtpService } from './kernel/auth/otp';
import { SecretBox } from './kernel/secret-box';
import { auditRepository, auditService } from './modules/audit';
import { tenantsRepository, tenantsService } from './modules/tenants';
import { identityRepository, identityService, sessionsRepository, sessionsService } from './modules/identity';
import { shoppersRepository, shoppersService } from './modules/shoppers';
import { ComponentTokenProvider, WechatClient, WechatMessageCrypto } from './integrations/wechat';
import { LogSmsSender, type SmsSender } from './integrations/sms';
import { LogEmailSender, type EmailSender } from './integrations/email';
import { printsService, trackingService } from './modules/logistics';
import { Kuaidi100Client } from './integrations/kuaidi100';
import { alertsGateway, notificationsRepository, notificationsService, redisAlertsBus } from './modules/notifications';
import {
  documentsRepository,
  firstStepsService,
  onboardingService,
  qualificationReviewService,
  rulesRepository,
  rulesService,
} from './modules/onboarding';
import {
  catalogRepository,
  catalogService,
  catalogSweeps,
  imagesRepository,
  imagesService,
  importService,
  importsRepository,
  salesLedger,
  shopCatalogService,
  sanitizeDescription,
  stockService,
  videosRepository,
  videosService,
} from './modules/catalog';
import { VersionedCache } from './kernel/versioned-cache';
import { cartRepository, cartService } from './modules/cart';
import {
  freightTemplatesRepository,
  freightTemplatesService,
  merchantOrdersService,
  orderOpsService,
  ordersRepository,
  ordersService,
  type OrderMoney,
} from './modules/orders';
import {
  applyPaymentWorkflow,
  cancelOrderWorkflow,
  placeOrderWorkflow,
  flashPurchaseWorkflow,
  groupBuyWorkflow,
  refundOrderWorkflow,
  afterSalesCaseWorkflow,
  complaintsWorkflow,
  wechatpayComplaintsWorkflow,
  linkPhoneWorkflow,
  WECHATPAY_COMPLAINTS_WEBHOOK,
  shipOrderWorkflow,
  afterSalesWindowWorkflow,
  bulkShipWorkflow,
  orderChangesWorkflow,
} from './modules/orders/workflows';
import { memberCheckoutService, memberJobs, membersRepository, membersService, pointsService } from './modules/members';
import {
  commissionService,
  distributionJobs,
  distributionRepository,
  distributionService,
} from './modules/distribution';
import { reviewsRepository, reviewsService } from './modules/reviews';
import {
  afterSalesRepository,
  afterSalesService,
  complaintsRepository,
  complaintsService,
} from './modules/after-sales';
import {
  redisSupportBus,
  supportGateway,
  supportRepository,
  supportService,
  type SupportCards,
  type SupportWechat,
} from './modules/support';
import { QUEUES, SUPPORT_JOBS, SUPPORT_LIMITS, type ProductCard, type ShopProductDetail } from '@shopfleet/contracts';
import type { TenantContext } from './kernel/context';
import { chinaDateTime } from './kernel/china-time';
import { NotFoundError, UpstreamError } from './kernel/errors';
import { readBounded } from './kernel/http/read-bounded';
import {
  campaignOrdersRepository,
  couponsService,
  activityOffers,
  flashGate,
  flashRepository,
  flashService,
  groupBuysRepository,
  groupBuysService,
  orderEnds as marketingOrderEnds,
  marketingRepository,
  offersService,
  promotionsRepository,
  promotionsService,
} from './modules/marketing';
import { authorizationsRepository, authorizationsService, wechatAuthorizationService } from './modules/miniapp';
import { sharingRepository, sharingService } from './modules/sharing';
import { analyticsJobs, analyticsRepository, analyticsService, sketchStore } from './modules/analytics';
import { pendingWorkWorkflow } from './modules/analytics/workflows/pending-work';
import {
  recommendationBuildsService,
  recommendationJobs as recommendationJobsOf,
  recommendationsRepository,
  recommendationsService,
  type RecommendationEvents,
} from './modules/recommendations';
import { storefrontRepository, storefrontService } from './modules/storefront';
import {
  bulkReleasesRepository,
  bulkReleasesService,
  codeUploadsRepository,
  codeUploadsService,
  mpReleasesRepository,
  mpReleasesService,
  packagesRepository,
  packagesService,
  templatesRepository,
  templatesService,
} from './modules/releases';
import { figuresService, requestCounter, usageRepository, usageService } from './modules/usage';
import {
  paymentSettingsService,
  paymentsRepository,
  paymentsService,
  shipmentReportsService,
  WechatPayComplaints,
  type ServiceProviderAccount,
} from './modules/payments';

export interface PlatformOptions {
  log?: Logger;
  /** Replaces the configured SMS sender (tests capture codes this way). */
  sms?: SmsSender;
  /** Replaces the configured email sender. */
  email?: EmailSender;
  /** The platform's clock (tests set it). */
  now?: () => Date;
  /** Run pending migrations (default: config.RUN_MIGRATIONS). */
  migrate?: boolean;
}

/** Everything a process of Shopfleet needs, wired once: connections and the domain services. */
export type Platform = Awaited<ReturnType<typeof createPlatform>>;

/**
 * Connects MySQL, Redis and S3 (starting the embedded S3 when none is configured), runs migrations,
 * and builds the services. The API and the worker both start from here.
 */
export async function createPlatform(config: Config, opts: PlatformOptions = {}) {
  const log = opts.log ?? createLogger(config.LOG_LEVEL, 'shopfleet');
  const resources: Array<() => Promise<unknown> | void> = [];
  try {
    if (opts.migrate ?? config.RUN_MIGRATIONS) await ensureDatabase(config);
    const knex: Knex = createKnex(config);
    const db = new Database(knex);
    resources.push(() => knex.destroy());
    if (opts.migrate ?? config.RUN_MIGRATIONS) {
      const applied = await migrateLatest(knex);
      if (applied.length) log.info({ applied }, 'migrations applied');
    }

    // Commands issued while others are in flight go out together (one write for many requests' session
    // checks and cache reads under load); the queue connection stays plain, BullMQ pipelines its own.
    const redis: Redis = createRedis(config.REDIS_URL, 'client', { enableAutoPipelining: true });
    resources.push(() => redis.quit().catch(() => redis.disconnect()));
    const queueConnection: Redis = createRedis(config.REDIS_URL, 'client');
    resources.push(() => queueConnection.quit().catch(() => queueConnection.disconnect()));
    const prefix = config.REDIS_PREFIX;
    const now = opts.now ?? (() => new Date());

    // Usage metering is built first: storage tells it the size of every file stored. The modules whose counts it
    // measures are built further down; its hourly snapshot asks them only when it runs.
    const counter = requestCounter(redis, prefix, {
      onPushFailed: (err) => log.warn({ err }, 'API request counts not added to Redis (kept for the next push)'),
    });
    // Closed before Redis (resources close newest first): the last second's counts are pushed.
    resources.push(() =>
      counter.close().catch((err: unknown) => log.warn({ err }, 'API request counts lost on close')),
    );
    const usage = usageService({
      repo: usageRepository(db),
      counter,
      sources: {
        ordersPlaced: (ctx, from, to) => orders.placedCount(ctx, from, to),
        products: (ctx) => catalog.productCount(ctx),
        staff: (ctx) => identity.activeStaffCount(ctx),
        auditsSubmitted: (ctx, from, to) => releases.auditsSubmitted(ctx, from, to),
      },
      tenants: {
        idsInStatus: (statuses, afterId, limit) => tenants.idsInStatus(statuses, afterId, limit),
        byIds: (ids) => tenants.byIds(ids),
        mustGet: (id) => tenants.mustGet(id),
      },
      now,
    });

    let embedded: EmbeddedS3 | undefined;
    let s3Endpoint = config.S3_ENDPOINT;
    if (!s3Endpoint) {
      embedded = await startEmbeddedS3({
        port: config.EMBEDDED_S3_PORT,
        directory: path.join(config.DATA_DIR, 's3'),
        privateBuckets: [config.S3_BUCKET_PRIVATE],
        accessKeyId: config.S3_ACCESS_KEY_ID,
        secretAccessKey: config.S3_SECRET_ACCESS_KEY,
        region: config.S3_REGION,
      });
      resources.push(() => embedded!.close());
      s3Endpoint = embedded.endpoint;
    }
    const storage = new Storage(
      {
        endpoint: s3Endpoint,
        region: config.S3_REGION,
        accessKeyId: config.S3_ACCESS_KEY_ID,
        secretAccessKey: config.S3_SECRET_ACCESS_KEY,
        privateBucket: config.S3_BUCKET_PRIVATE,
        publicBucket: config.S3_BUCKET_PUBLIC,
        publicUrl: config.S3_PUBLIC_URL ?? `${s3Endpoint}/${config.S3_BUCKET_PUBLIC}`,
      },
      usage.meter(log.child({ component: 'storage-meter' })),
    );
    resources.push(() => storage.destroy());
    await storage.ensureBuckets();

    const queues = new Queues(queueConnection, queuePrefix(prefix));
    resources.push(() => queues.close());

    const tokens = new AccessTokens(config.AUTH_SECRET, config.ACCESS_TOKEN_TTL_SECONDS);
    const secretBox = new SecretBox(config.DATA_ENCRYPTION_KEYS);
    const wechat = new WechatClient(config.WECHAT_API_BASE);
    const componentTokens = new ComponentTokenProvider(
      redis,
      prefix,
      wechat,
      config.WECHAT_COMPONENT_APPID && config.WECHAT_COMPONENT_APPSECRET
        ? { appid: config.WECHAT_COMPONENT_APPID, secret: config.WECHAT_COMPONENT_APPSECRET }
        : null,
    );
    const sms = opts.sms ?? new LogSmsSender(log.child({ component: 'sms' }));
    const email = opts.email ?? new LogEmailSender(log.child({ component: 'email' }));
    const limiter = (name: string, points: number, durationSeconds: number, blockSeconds?: number) =>
      new Limiter(redis, prefix, name, { points, durationSeconds, blockSeconds });

    const audit = auditService(auditRepository(db));
    const tenants = tenantsService({ repo: tenantsRepository(db), tx: db, redis, redisPrefix: prefix, storage, audit });
    const sessions = sessionsService({
      repo: sessionsRepository(db),
      tx: db,
      redis,
      redisPrefix: prefix,
      tokens,
      refreshTtlDays: config.REFRESH_TOKEN_TTL_DAYS,
    });
    const identity = identityService({
      tx: db,
      repo: identityRepository(db),
      sessions,
      tokens,
      tenants,
      audit,
      loginFailures: limiter('login-failures', 5, 15 * 60, 15 * 60),
      loginAttempts: limiter('login-attempts', config.LOGIN_ATTEMPTS_PER_IP_PER_MINUTE, 60),
      email,
      sms,
      publicUrl: config.publicUrl,
      now,
    });
    const otp = new OtpService(redis, prefix, {
      perPhone: limiter('otp-phone', 1, 60),
      daily: limiter('otp-daily', 10, 86_400),
      perIp: limiter('otp-ip', config.OTP_SENDS_PER_IP_PER_HOUR, 3600),
    });
    const shoppers = shoppersService({
      repo: shoppersRepository(db),
      tenants,
      sessions,
      wechat,
      componentTokens,
      secretBox,
      sms,
      otp,
      // Members and marketing are built further down; a shopper's first sign-in makes them a member and gives them the
      // shop's 新人券.
      welcome: async (ctx, shopperId) => {
        await members.join(ctx, shopperId);
        await marketing.welcome(ctx, shopperId);
      },
      // Catalog's images and the miniapp module's authorizations are built further down too.
      avatars: {
        async upload(ctx, bytes, shopperId) {
          const image = await images.upload(ctx, bytes);
          await images.claimForShopper(ctx, image.id, shopperId);
          return { id: image.id, url: image.medium.jpeg };
        },
        async ofShopper(ctx, imageId, shopperId) {
          if ((await images.ownedByShopper(ctx, [imageId], shopperId)).length === 0) return null;
          return (await images.byIds(ctx, [imageId])).get(imageId)?.medium.jpeg ?? null;
        },
      },
      redis,
      redisPrefix: prefix,
      authorizer: {
        accessToken: (ctx) => authorizations.accessToken(ctx),
        invalidate: (appid, err) => authorizations.invalidate(appid, err),
      },
      now,
    });
    const alertsBus = redisAlertsBus(redis, prefix);
    const notifications = notificationsService({
      repo: notificationsRepository(db),
      tx: db,
      email,
      sms,
      recipients: async (tenantId) => ({
        emails: await identity.ownerEmails(tenantId),
        phone: (await tenants.findById(tenantId))?.contactPhone ?? null,
      }),
      bus: alertsBus,
    });
    const rulesRepo = rulesRepository(db);
    const docs = documentsRepository(db);
    const onboarding = onboardingService({
      tx: db,
      tenants,
      identity,
      audit,
      storage,
      secretBox,
      otp,
      sms,
      rules: rulesRepo,
      docs,
      signedUrlSeconds: config.SIGNED_URL_TTL_SECONDS,
      now,
    });
    const qualificationReview = qualificationReviewService({
      tx: db,
      tenants,
      audit,
      notifications,
      storage,
      secretBox,
      rules: rulesRepo,
      docs,
      signedUrlSeconds: config.SIGNED_URL_TTL_SECONDS,
      reminderDays: config.QUALIFICATION_REMINDER_DAYS,
      graceDays: config.QUALIFICATION_GRACE_DAYS,
      now,
    });
    const rules = rulesService({ repo: rulesRepo, audit });
    const catalogCache = new VersionedCache(redis, prefix, {
      localTtlMs: config.CATALOG_LOCAL_CACHE_MS,
      redisTtlSeconds: 600,
      maxLocalEntries: 20_000,
    });
    const catalogRepo = catalogRepository(db);
    const images = imagesService({ repo: imagesRepository(db), storage });
    const videos = videosService({ repo: videosRepository(db), storage });
    const catalog = catalogService({
      repo: catalogRepo,
      tx: db,
      images,
      videos,
      cache: catalogCache,
      audit,
      // Freight templates are orders'; built just below, asked only when a product is saved.
      freightTemplates: { exists: (ctx, id) => freightTemplates.exists(ctx, id) },
      now,
    });
    const analytics = analyticsService({
      repo: analyticsRepository(db),
      tx: db,
      sketches: sketchStore(redis, prefix),
      titles: (ctx, ids) => catalog.titles(ctx, ids),
      now,
    });
    const shopCatalog = shopCatalogService({
      repo: catalogRepo,
      images,
      videos,
      cache: catalogCache,
      catalog,
      // Marketing is built further down; the catalog asks it only when a cache entry is filled.
      promotions: (ctx, productIds) => promotions.shown(ctx, productIds),
    });
    const cart = cartService({ repo: cartRepository(db), tx: db, images, catalog });
    const orderCache = new VersionedCache(redis, prefix, {
      localTtlMs: config.CATALOG_LOCAL_CACHE_MS,
      redisTtlSeconds: 600,
      maxLocalEntries: 10_000,
      namespace: 'orders',
    });
    const freightTemplates = freightTemplatesService({
      repo: freightTemplatesRepository(db),
      tx: db,
      audit,
      cache: orderCache,
      defaults: {
        paymentWindowMinutes: config.ORDER_PAYMENT_WINDOW_MINUTES,
        autoConfirmDays: config.ORDER_AUTO_CONFIRM_DAYS,
      },
      users: { productsUsing: (ctx, id) => catalog.productsUsingFreightTemplate(ctx, id) },
    });
    const stock = stockService({ repo: catalogRepo });
    const sales = salesLedger({ repo: catalogRepo, cache: catalogCache });
    // Orders show the payments and refunds that payments owns; payments needs the orders service built
    // first, so the order views ask it through this port, bound once both exist.
    const money: OrderMoney = { ofOrders: (ctx, q) => payments.ofOrders(ctx, q) };
    const orders = ordersService({
      repo: ordersRepository(db),
      tx: db,
      money,
      shoppers,
      tenants,
      shipping: freightTemplates,
      // After-sales is built further down; an order view asks it for the order's cases.
      afterSales: { ofOrders: (ctx, orderIds) => afterSales.ofOrders(ctx, orderIds) },
      now,
    });
    const notifyBaseUrl = (config.PAYMENT_NOTIFY_BASE_URL ?? config.publicUrl).replace(/\/$/, '');
    const unionpayTrust = unionPayTrust(config);
    const paymentsRepo = paymentsRepository(db);
    const paymentSettings = paymentSettingsService({
      repo: paymentsRepo,
      tx: db,
      secretBox,
      audit,
      serviceProvider: serviceProviderAccount(config),
      notifyBaseUrl,
      unionpayAvailable: unionpayTrust !== null,
    });
    const payments = paymentsService({
      repo: paymentsRepo,
      tx: db,
      orders,
      tenants,
      shoppers,
      settings: paymentSettings,
      queues,
      log,
      wechatpayBaseUrl: config.WECHATPAY_API_BASE,
      alipayGateway: config.ALIPAY_GATEWAY,
      unionpayGateway: config.UNIONPAY_GATEWAY.replace(/\/$/, ''),
      unionpayTrust,
      notifyBaseUrl,
      publicUrl: config.publicUrl,
      notificationMaxAgeSeconds: config.PAYMENT_NOTIFICATION_MAX_AGE_SECONDS,
      sandboxSecret: config.AUTH_SECRET,
      now,
    });
    const authorizations = authorizationsService({
      repo: authorizationsRepository(db),
      redis,
      redisPrefix: prefix,
      secretBox,
      wechat,
      componentTokens,
    });
    const wechatAuthorization = wechatAuthorizationService({
      tenants,
      authorizations,
      wechat,
      componentTokens,
      audit,
      crypto:
        config.WECHAT_COMPONENT_APPID && config.WECHAT_COMPONENT_TOKEN && config.WECHAT_COMPONENT_AES_KEY
          ? new WechatMessageCrypto(
              config.WECHAT_COMPONENT_TOKEN,
              config.WECHAT_COMPONENT_AES_KEY,
              config.WECHAT_COMPONENT_APPID,
            )
          : null,
      publicUrl: config.publicUrl,
      stateSecret: config.AUTH_SECRET,
      pushMaxAgeSeconds: 600,
      now,
    });
    const templateVersions = templatesRepository(db);
    const templates = templatesService({
      repo: templateVersions,
      storage,
      queues,
      audit,
      tenants,
      templateDir: config.TEMPLATE_MINIAPP_DIR,
      now,
    });
    const packages = packagesService({
      repo: packagesRepository(db),
      versions: templateVersions,
      storage,
      tenants,
      templates,
      authorizations,
      // The shop designer's tab bar; `storefront` is built further down, and asked only when a package is made.
      storefront: { tabBar: (ctx) => storefront.packagedTabBar(ctx) },
      templateDir: config.TEMPLATE_MINIAPP_DIR,
      publicUrl: config.publicUrl,
      signedUrlSeconds: config.SIGNED_URL_TTL_SECONDS,
    });
    const releases = mpReleasesService({
      repo: mpReleasesRepository(db),
      versions: templateVersions,
      tx: db,
      queues,
      storage,
      tenants,
      authorizations,
      packages,
      wechat,
      componentTokens,
      publicUrl: config.publicUrl,
      signedUrlSeconds: config.SIGNED_URL_TTL_SECONDS,
      privacyScanRetryMs: config.RELEASE_PRIVACY_SCAN_RETRY_SECONDS * 1000,
      auditPollMs: config.RELEASE_AUDIT_POLL_SECONDS * 1000,
      now,
    });
    const codeUploads = codeUploadsService({
      repo: codeUploadsRepository(db),
      versions: templateVersions,
      tx: db,
      secretBox,
      audit,
      queues,
      storage,
      tenants,
      authorizations,
      packages,
      ciBaseUrl: config.WECHAT_CI_BASE,
      robot: config.WECHAT_CI_ROBOT,
      now,
    });
    const bulkReleases = bulkReleasesService({
      repo: bulkReleasesRepository(db),
      versions: templateVersions,
      tx: db,
      queues,
      releases,
      tenants,
      audit,
      dispatchEveryMs: config.RELEASE_BULK_DISPATCH_SECONDS * 1000,
      now,
    });
    const shipmentReports = shipmentReportsService({ repo: paymentsRepo, orders, authorizations, wechat, queues, now });
    const merchantOrders = merchantOrdersService({ orders });
    const couponsRepo = marketingRepository(db);
    const promotionsRepo = promotionsRepository(db);
    const campaigns = campaignOrdersRepository(db);
    const offers = offersService({ coupons: couponsRepo, promotions: promotionsRepo, campaigns });
    const flash = flashService({
      repo: flashRepository(db),
      gate: flashGate(redis, prefix),
      tx: db,
      catalog,
      images,
      stock,
      queues,
      audit,
      tenants,
      passSecret: config.AUTH_SECRET,
      limits: { perShopper: config.FLASH_RATE_PER_SHOPPER, perAddress: config.FLASH_RATE_PER_ADDRESS, windowMs: 1000 },
      now,
    });
    const groupBuys = groupBuysService({
      repo: groupBuysRepository(db),
      tx: db,
      catalog,
      images,
      shoppers,
      orders,
      queues,
      audit,
      now,
    });
    const orderEnds = marketingOrderEnds(offers, flash, groupBuys);
    const membersRepo = membersRepository(db);
    const points = pointsService({ repo: membersRepo, now });
    const memberCheckout = memberCheckoutService({ repo: membersRepo, points });
    const members = membersService({
      repo: membersRepo,
      points,
      tx: db,
      audit,
      shoppers,
      cards: (ctx, ids) => shopCatalog.cardsByIds(ctx, ids),
      now,
    });
    // The work that spans modules (./modules/orders/workflows), each built from the services it steps through.
    const placeOrder = placeOrderWorkflow({
      tx: db,
      orders,
      tenants,
      images,
      catalog,
      stock,
      cart,
      shipping: freightTemplates,
      queues,
      maxUnpaid: config.ORDER_MAX_UNPAID,
      placement: {
        concurrency: config.ORDER_PLACEMENT_CONCURRENCY,
        batch: config.ORDER_PLACEMENT_BATCH,
        queue: config.ORDER_PLACEMENT_QUEUE,
      },
      pricing: [flash.pricing, groupBuys.pricing, memberCheckout.pricing, offers.pricing],
      offers: offers.placement,
      activities: activityOffers(flash, groupBuys),
      membership: memberCheckout.membership,
      figures: analytics,
      now,
    });
    const membership = memberCheckout.membership;
    const distributionRepo = distributionRepository(db);
    const commission = commissionService({ repo: distributionRepo, now });
    const distribution = distributionService({
      repo: distributionRepo,
      commission,
      tx: db,
      audit,
      shoppers,
      orderNos: (ctx, ids) => orders.numbers(ctx, ids),
      productTitles: (ctx, ids) => catalog.titles(ctx, ids),
      // Share codes are the sharing module's (built further down): the sharer of a code, none for the shop's own.
      sharerOf: async (ctx, code) => (await sharing.resolve(ctx, code))?.sharerId ?? null,
      transfers: payments.transfers,
      now,
    });
    const cancelOrder = cancelOrderWorkflow({
      tx: db,
      orders,
      stock,
      sales,
      payments,
      offers: orderEnds,
      membership,
      commission,
      figures: analytics,
      audit,
      now,
    });
    const applyPayment = applyPaymentWorkflow({
      tx: db,
      payments,
      orders,
      sales,
      offers: orderEnds,
      membership,
      commission,
      figures: analytics,
      alerts: notifications,
    });
    const flashPurchase = flashPurchaseWorkflow({ flash, orders, placeOrder });
    const groupBuy = groupBuyWorkflow({ groups: groupBuys, tenants, placeOrder, cancelOrder });
    const afterSales = afterSalesService({
      repo: afterSalesRepository(db),
      tx: db,
      queues,
      images,
      audit,
      alerts: notifications,
      now,
    });
    // 物流: packing lists and labels as PDF; a parcel's route from the tracking provider, when one is configured.
    const prints = printsService({
      merchantOrders,
      sender: async (ctx) => {
        const shop = await tenants.findById(ctx.tenantId);
        const from = (await afterSales.addresses(ctx))[0];
        return {
          shopName: shop?.name ?? '',
          name: from?.name ?? null,
          phone: from?.phone ?? shop?.contactPhone ?? null,
          address: from ? `${from.province}${from.city}${from.district}${from.detail}` : null,
        };
      },
      font: { path: config.PDF_CJK_FONT, face: config.PDF_CJK_FONT_FACE },
      log,
      now,
    });
    const tracking = trackingService({
      orders,
      merchantOrders,
      provider:
        config.KUAIDI100_CUSTOMER && config.KUAIDI100_KEY
          ? new Kuaidi100Client(
              { customer: config.KUAIDI100_CUSTOMER, key: config.KUAIDI100_KEY },
              { url: config.KUAIDI100_API_URL },
            )
          : null,
      redis,
      redisPrefix: prefix,
      cacheSeconds: config.TRACKING_CACHE_SECONDS,
      now,
    });
    const refundOrder = refundOrderWorkflow({
      tx: db,
      payments,
      orders,
      stock,
      sales,
      offers: orderEnds,
      membership,
      commission,
      figures: analytics,
      spokenFor: afterSales.openUnits,
      closeCases: afterSales.closeForOrder,
      audit,
      now,
    });
    const shipOrder = shipOrderWorkflow({ orders, shipmentReports, audit });
    const windowsPassed = afterSalesWindowWorkflow({ orders, afterSales });
    const memberSweeps = memberJobs({ repo: membersRepo, points, tx: db, tenants, windowsPassed, now });
    const distributionSweeps = distributionJobs({
      repo: distributionRepo,
      commission,
      distribution,
      tx: db,
      tenants,
      windowsPassed,
      now,
    });
    const afterSalesCase = afterSalesCaseWorkflow({ tx: db, orders, afterSales, refundOrder, tenants, now });
    const complaints = complaintsService({
      repo: complaintsRepository(db),
      tx: db,
      images,
      notifications,
      tenants,
      audit,
      now,
    });
    const sp = serviceProviderAccount(config);
    const wechatComplaints = wechatpayComplaintsWorkflow({
      client: sp
        ? new WechatPayComplaints(sp, {
            baseUrl: config.WECHATPAY_API_BASE,
            maxAgeSeconds: config.PAYMENT_NOTIFICATION_MAX_AGE_SECONDS,
            now,
          })
        : null,
      payments,
      orders,
      complaints,
      tx: db,
      queues,
      notifyUrl: `${notifyBaseUrl}${WECHATPAY_COMPLAINTS_WEBHOOK}`,
      now,
    });
    const supportBus = redisSupportBus(redis, prefix);
    const supportCards: SupportCards = {
      async product(ctx, productId) {
        const p = await catalog.getProduct(ctx, productId).catch((err: unknown) => {
          if (err instanceof NotFoundError) return null;
          throw err;
        });
        if (!p || p.status !== 'on_sale') return null;
        return {
          type: 'product',
          id: p.id,
          title: p.title,
          imageUrl: p.images[0]?.medium.jpeg ?? null,
          priceFen: p.minPriceFen,
          no: null,
          status: null,
        };
      },
      async order(ctx, orderId, shopperId) {
        const o = await orders.forAfterSales(ctx, orderId, shopperId);
        if (!o) return null;
        return {
          type: 'order',
          id: o.id,
          title: o.lines[0]?.title ?? o.orderNo,
          imageUrl: o.lines[0]?.imageUrl ?? null,
          priceFen: o.totalFen,
          no: o.orderNo,
          status: o.status,
        };
      },
      async afterSales(ctx, caseId, shopperId) {
        const c = await afterSales.mustGet(ctx, caseId, shopperId).catch((err: unknown) => {
          if (err instanceof NotFoundError) return null;
          throw err;
        });
        if (!c) return null;
        return {
          type: 'after_sales',
          id: c.id,
          title: c.title,
          imageUrl: c.imageUrl,
          priceFen: c.amountFen,
          no: c.caseNo,
          status: c.status,
        };
      },
    };
    // WeChat's customer-service and subscribe messages, sent as the shop's mini-program (its authorizer token, renewed
    // once when WeChat no longer takes it).
    const asMiniProgram = async <T>(
      ctx: TenantContext,
      fn: (token: string, appid: string) => Promise<T>,
    ): Promise<T> => {
      for (let attempt = 0; ; attempt++) {
        let appid = '';
        try {
          const auth = await authorizations.accessToken(ctx);
          appid = auth.appid;
          return await fn(auth.token, auth.appid);
        } catch (err) {
          if (attempt === 0 && appid && (await authorizations.invalidate(appid, err))) continue;
          throw err;
        }
      }
    };
    const supportWechat: SupportWechat = {
      send: (ctx, openid, message) =>
        asMiniProgram(ctx, async (token) => {
          if (message.kind === 'text') {
            await wechat.sendCustomMessage(token, { touser: openid, msgtype: 'text', text: { content: message.text } });
            return;
          }
          const image = (await images.byIds(ctx, [message.imageId])).get(message.imageId);
          if (!image) throw new NotFoundError('FILE_NOT_FOUND');
          const bytes = await readBounded(image.medium.jpeg, SUPPORT_LIMITS.imageMaxBytes);
          if (!bytes) throw new UpstreamError({ reason: 'WECHAT_UNREACHABLE', message: 'the image could not be read' });
          const mediaId = await wechat.uploadTempImage(token, bytes, 'image/jpeg');
          await wechat.sendCustomMessage(token, { touser: openid, msgtype: 'image', image: { media_id: mediaId } });
        }),
      fetchImage: (url, maxBytes) => readBounded(url, maxBytes),
      async appid(ctx) {
        return (await authorizations.accessToken(ctx).catch(() => null))?.appid ?? null;
      },
      async addReplyTemplate(ctx) {
        const tid = config.WECHAT_SUPPORT_REPLY_TID;
        if (!tid) return null;
        return asMiniProgram(ctx, async (token, appid) => ({
          appid,
          templateId: await wechat.addSubscribeTemplate(token, tid, [1, 2, 3], '客服回复提醒'),
        }));
      },
      notify: (ctx, openid, templateId, reply) =>
        asMiniProgram(ctx, (token) =>
          wechat.sendSubscribeMessage(token, {
            touser: openid,
            template_id: templateId,
            page: 'pages/support/chat',
            data: {
              thing1: { value: [...reply.from].slice(0, 20).join('') },
              thing2: { value: [...(reply.preview || '…')].slice(0, 20).join('') },
              time3: { value: chinaDateTime(reply.at).slice(0, 16) },
            },
          }),
        ),
    };
    const support = supportService({
      repo: supportRepository(db),
      tx: db,
      images,
      cards: supportCards,
      people: {
        async shopper(ctx, shopperId) {
          const s = await shoppers.get(ctx, shopperId).catch(() => null);
          return s ? { nickname: s.nickname, phoneMasked: s.phoneMasked, createdAt: new Date(s.createdAt) } : null;
        },
        recentOrders: (ctx, shopperId, limit) => orders.recentOfShopper(ctx, shopperId, limit),
        async staff(ctx) {
          const page = await identity.listStaff(ctx, 1, 100);
          return page.items.filter((m) => m.status === 'active').map((m) => ({ userId: m.userId, name: m.name }));
        },
        openid: (ctx, shopperId) => shoppers.openid(ctx, shopperId),
      },
      notifyLater: async (ctx, conversationId, seq) => {
        await queues
          .get(QUEUES.support)
          .add(
            SUPPORT_JOBS.notifyReply,
            { tenantId: ctx.tenantId, conversationId, seq },
            { jobId: `sn-${ctx.tenantId}-${conversationId}`, delay: 60_000, removeOnComplete: true, removeOnFail: 100 },
          )
          .catch((err: unknown) => ctx.log.warn({ err }, 'a reply notice could not be queued'));
      },
      bus: supportBus,
      wechat: supportWechat,
      limits: {
        shopper: limiter('support-shopper', SUPPORT_LIMITS.shopperRateMax, SUPPORT_LIMITS.rateWindowSeconds),
        agent: limiter('support-agent', SUPPORT_LIMITS.agentRateMax, SUPPORT_LIMITS.rateWindowSeconds),
      },
      now,
    });
    // The chat's WebSocket endpoint: attached to the HTTP server by whoever serves (main.ts, the tests, the bench).
    const chat = supportGateway({
      support,
      bus: supportBus,
      authenticate: (audience, token) => identity.authenticate(audience, token),
      shopId: async (shopKey) => (await tenants.openShop(shopKey, { pass: null, read: false })).id,
      log: log.child({ component: 'support-ws' }),
    });
    resources.push(() => chat.close());
    // The console's live alerts (ADR 0020): a second path on the same HTTP server, attached with the chat's.
    const alerts = alertsGateway({
      bus: alertsBus,
      authenticate: (audience, token) => identity.authenticate(audience, token),
      log: log.child({ component: 'alerts-ws' }),
    });
    resources.push(() => alerts.close());
    const complaintsFlow = complaintsWorkflow({
      tx: db,
      orders,
      afterSales,
      complaints,
      refundOrder,
      replyToWechat: wechatComplaints.queueReply,
    });
    const reviews = reviewsService({
      repo: reviewsRepository(db),
      tx: db,
      images,
      catalog,
      orders,
      shoppers,
      cache: catalogCache,
      audit,
      alerts: notifications,
      now,
    });
    const marketing = couponsService({ repo: couponsRepo, campaigns, tx: db, orders, shoppers, catalog, audit, now });
    const promotions = promotionsService({
      repo: promotionsRepo,
      campaigns,
      tx: db,
      catalog,
      cache: catalogCache,
      queues,
      audit,
      now,
    });
    const imports = importService({
      repo: catalogRepo,
      imports: importsRepository(db),
      tx: db,
      catalog,
      images,
      storage,
      queues,
      cache: catalogCache,
      audit,
      now,
    });
    const firstSteps = firstStepsService({ catalog, paymentSettings, tenants, releases });
    // 分享: a shopper's share codes, their mini-program codes (the shop's authorizer token) and posters.
    const sharing = sharingService({
      repo: sharingRepository(db),
      ports: {
        async product(ctx, productId) {
          let text: string;
          try {
            text = await shopCatalog.detailJson(ctx, productId);
          } catch (err) {
            if (err instanceof NotFoundError) return null;
            throw err;
          }
          const p = JSON.parse(text) as ShopProductDetail;
          const image = p.images[0] ?? null;
          return {
            id: p.id,
            title: p.title,
            priceFen: Math.min(p.priceFen, ...p.skus.map((sku) => sku.timedPriceFen ?? sku.priceFen)),
            imageId: image?.id ?? null,
            imageUrl: image?.medium.jpeg ?? null,
          };
        },
        async shop(ctx) {
          const tenant = await tenants.findById(ctx.tenantId);
          if (!tenant) throw new NotFoundError('SHOP_NOT_FOUND');
          return { name: tenant.name, slug: tenant.slug };
        },
        profiles: (ctx, ids) => shoppers.profiles(ctx, ids),
        wxacode: (ctx, input) =>
          asMiniProgram(ctx, async (token) => {
            const image = await wechat.getUnlimitedWxacode(token, {
              ...input,
              envVersion: config.SHARE_WXACODE_ENV_VERSION,
            });
            return image.body;
          }),
        read: (url, maxBytes) => readBounded(url, maxBytes, 5_000),
      },
      storage,
      redis,
      redisPrefix: prefix,
      limits: {
        shopper: limiter('share-shopper', config.SHARE_RATE_PER_SHOPPER, 60),
        shop: limiter('share-shop', config.SHARE_RATE_PER_SHOP, 60),
      },
      publicUrl: config.publicUrl,
      wxacodeEnvVersion: config.SHARE_WXACODE_ENV_VERSION,
    });
    // 推荐: built from analytics' events over the catalog's products on sale; served with the catalog's cached cards.
    // Kept in each process for 30 s: a build's renewal shows within that (builds run every quarter hour); whether a
    // product is on sale comes from the catalog's cards, renewed as fast as the catalog's pages.
    const recommendationCache = new VersionedCache(redis, prefix, {
      localTtlMs: 30_000,
      redisTtlSeconds: 3_600,
      maxLocalEntries: 50_000,
      namespace: 'recommendations',
    });
    const recommendationsRepo = recommendationsRepository(db);
    const recommendationEvents: RecommendationEvents = analytics;
    const recommendationCatalog = {
      onSale: (ctx: TenantContext, q: { afterId: number; limit: number }) => catalog.onSale(ctx, q),
      onSaleOf: (ctx: TenantContext, ids: number[]) => catalog.onSale(ctx, { ids }),
      cards: (ctx: TenantContext, ids: number[]) => shopCatalog.cachedCards(ctx, ids),
    };
    const recommendations = recommendationsService({
      repo: recommendationsRepo,
      events: recommendationEvents,
      catalog: recommendationCatalog,
      cache: recommendationCache,
    });
    const recommendationBuilds = recommendationBuildsService({
      repo: recommendationsRepo,
      events: recommendationEvents,
      catalog: recommendationCatalog,
      cache: recommendationCache,
      now,
    });
    const recommendationJobs = recommendationJobsOf({ builds: recommendationBuilds, tenants, queues, now });
    // 装修: pages kept per page version (bumped by a publish) and catalog version (a product's change renders them
    // again); a minute in Redis bounds what else a rendered page shows (a campaign that ended, the default home's
    // appearance).
    const storefrontCache = new VersionedCache(redis, prefix, {
      localTtlMs: config.CATALOG_LOCAL_CACHE_MS,
      redisTtlSeconds: 60,
      maxLocalEntries: 5_000,
      namespace: 'storefront',
    });
    const found = async <T>(load: () => Promise<T>): Promise<T | null> => {
      try {
        return await load();
      } catch (err) {
        if (err instanceof NotFoundError) return null;
        throw err;
      }
    };
    const storefront = storefrontService({
      repo: storefrontRepository(db),
      tx: db,
      audit,
      cache: storefrontCache,
      redis,
      redisPrefix: prefix,
      storage,
      appearance: (ctx) => tenants.appearance(ctx),
      sanitize: sanitizeDescription,
      now,
      catalog: {
        existingProducts: async (ctx, ids) => new Set(ids.length ? (await catalog.productPlaces(ctx, ids)).keys() : []),
        titles: (ctx, ids) => (ids.length ? catalog.titles(ctx, ids) : Promise.resolve(new Map())),
        categories: (ctx) => catalog.categoryMap(ctx),
        images: (ctx, ids) => images.byIds(ctx, ids),
        cards: (ctx, ids) => shopCatalog.cachedCards(ctx, ids),
        list: async (ctx, q) =>
          (
            JSON.parse(
              await shopCatalog.listJson(ctx, {
                ...(q.categoryId ? { categoryId: q.categoryId } : {}),
                sort: q.rule === 'sales' ? 'sales' : 'newest',
                limit: q.limit,
              }),
            ) as { items: ProductCard[] }
          ).items,
        homeLayout: (ctx) => catalog.homeLayout(ctx),
        version: (tenantId) => catalogCache.version(tenantId),
      },
      marketing: {
        existingCouponTemplates: async (ctx, ids) => {
          const got = await Promise.all(ids.map((id) => found(() => marketing.get(ctx, id))));
          return new Set(got.flatMap((t) => (t ? [t.id] : [])));
        },
        campaigns: async (ctx, ids) => {
          const got = await Promise.all(ids.map((id) => found(() => groupBuys.get(ctx, id))));
          const at = now().getTime();
          return new Map(
            got.flatMap((c) =>
              c
                ? [
                    [
                      c.id,
                      {
                        id: c.id,
                        name: c.name,
                        productId: c.productId,
                        productTitle: c.productTitle,
                        imageUrl: c.imageUrl,
                        groupSize: c.groupSize,
                        groupPriceFen: Math.min(...c.items.map((i) => i.groupPriceFen)),
                        priceFen: Math.min(...c.items.map((i) => i.priceFen)),
                        endsAt: c.endsAt,
                        running: c.status === 'running' && Date.parse(c.startsAt) <= at && Date.parse(c.endsAt) > at,
                      },
                    ] as const,
                  ]
                : [],
            ),
          );
        },
      },
    });
    const linkPhone = linkPhoneWorkflow({
      tx: db,
      shoppers,
      sessions,
      orders,
      cart,
      coupons: marketing,
      flash,
      groupBuys,
      afterSales,
      complaints,
      reviews,
      support,
      images,
      absorbers: [members.absorbShopper, distribution.absorbShopper, sharing.absorbShopper],
    });

    // The merchant's daily order operations: counts, price and address changes, bulk shipping (each row through the
    // one-order shipment, in its own transaction, so WeChat's shipment report is queued once the row has committed).
    const orderOps = orderOpsService({ repo: ordersRepository(db), tx: db, now });
    const orderChanges = orderChangesWorkflow({ tx: db, ops: orderOps, orders, payments, audit });
    const bulkShip = bulkShipWorkflow({
      tx: db,
      orders,
      ops: orderOps,
      shipOrder: shipOrderWorkflow({
        orders,
        audit,
        shipmentReports: {
          schedule: (ctx, orderId) => db.afterCommit(ctx, (outside) => shipmentReports.schedule(outside, orderId)),
        },
      }),
    });

    const analyticsSweeps = analyticsJobs({ analytics, tenants });
    const catalogSweepJobs = catalogSweeps({ catalog, tenants });
    const pendingWork = pendingWorkWorkflow({
      toShip: (ctx) => orders.toShip(ctx),
      afterSales: async (ctx) => {
        const { counts } = await afterSales.counts(ctx);
        return counts.requested + counts.returned + counts.received;
      },
      reviewsToAnswer: (ctx) => reviews.unanswered(ctx),
      unreadChats: async (ctx) => (await support.me(ctx)).unread,
    });
    const eventsLimiter = limiter('shop-events', 120, 60);
    // The platform figures: GMV and orders paid across shops are the analytics module's roll-ups.
    const platformFigures = figuresService({
      tenants,
      reviews: qualificationReview,
      releases,
      sales: { platformDaily: (from, to) => analytics.platformDaily(from, to) },
      now,
    });

    return {
      config,
      log,
      knex,
      redis,
      storage,
      queues,
      secretBox,
      componentTokens,
      services: {
        audit,
        tenants,
        sessions,
        identity,
        shoppers,
        notifications,
        onboarding,
        firstSteps,
        qualificationReview,
        rules,
        catalog,
        shopCatalog,
        stock,
        imports,
        cart,
        orders,
        freightTemplates,
        merchantOrders,
        prints,
        tracking,
        paymentSettings,
        payments,
        reviews,
        marketing,
        promotions,
        flash,
        groupBuys,
        members,
        points,
        memberSweeps,
        distribution,
        commission,
        distributionSweeps,
        authorizations,
        wechatAuthorization,
        shipmentReports,
        templates,
        packages,
        releases,
        bulkReleases,
        codeUploads,
        placeOrder,
        flashPurchase,
        groupBuy,
        cancelOrder,
        applyPayment,
        refundOrder,
        shipOrder,
        afterSales,
        afterSalesCase,
        complaints,
        complaintsFlow,
        wechatComplaints,
        linkPhone,
        orderOps,
        orderChanges,
        bulkShip,
        support,
        supportBus,
        chat,
        alerts,
        sharing,
        analytics,
        analyticsSweeps,
        catalogSweeps: catalogSweepJobs,
        pendingWork,
        eventsLimiter,
        usage,
        platformFigures,
        recommendations,
        recommendationBuilds,
        recommendationJobs,
        storefront,
      },
      /** Closes every connection this platform opened, newest first. */
      async close(): Promise<void> {
        for (const close of resources.reverse()) await close();
      },
    };
  } catch (err) {
    for (const close of resources.reverse()) await Promise.resolve(close()).catch(() => {});
    throw err;
  }
}

/** UnionPay's root and middle certificates from the configuration (both, or UnionPay is not offered). */
function unionPayTrust(config: Config): { root: X509Certificate; middle: X509Certificate } | null {
  if (!config.UNIONPAY_ROOT_CERT || !config.UNIONPAY_MIDDLE_CERT) return null;
  const cert = (name: string, text: string) => {
    try {
      return new X509Certificate(text.replace(/\\n/g, '\n'));
    } catch {
      throw new Error(`${name} is not a PEM certificate`);
    }
  };
  return {
    root: cert('UNIONPAY_ROOT_CERT', config.UNIONPAY_ROOT_CERT),
    middle: cert('UNIONPAY_MIDDLE_CERT', config.UNIONPAY_MIDDLE_CERT),
  };
}

/** The platform's WeChat Pay service-provider account, when every WECHATPAY_SP_* variable is set. */
function serviceProviderAccount(config: Config): ServiceProviderAccount | null {
  const c = config;
  if (
    !c.WECHATPAY_SP_MCHID ||
    !c.WECHATPAY_SP_APPID ||
    !c.WECHATPAY_SP_SERIAL_NO ||
    !c.WECHATPAY_SP_PRIVATE_KEY ||
    !c.WECHATPAY_SP_APIV3_KEY ||
    !c.WECHATPAY_SP_PUBLIC_KEY_ID ||
    !c.WECHATPAY_SP_PUBLIC_KEY
  )
    return null;
  const pem = (text: string) => text.replace(/\\n/g, '\n');
  return {
    mchId: c.WECHATPAY_SP_MCHID,
    appId: c.WECHATPAY_SP_APPID,
    serialNo: c.WECHATPAY_SP_SERIAL_NO,
    privateKeyPem: pem(c.WECHATPAY_SP_PRIVATE_KEY),
    apiV3Key: c.WECHATPAY_SP_APIV3_KEY,
    publicKeyId: c.WECHATPAY_SP_PUBLIC_KEY_ID,
    publicKeyPem: pem(c.WECHATPAY_SP_PUBLIC_KEY),
  };
}
