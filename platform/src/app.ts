import express, { type Express } from 'express';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import swaggerUi from 'swagger-ui-express';
import { API_ROOTS, QUEUES, merchantApi, platformApi, shopApi } from '@shopfleet/contracts';
import type { Platform } from './platform';
import { endpointRouter, type Handlers, type RouteDeps } from './kernel/http/endpoint-router';
import { errorMiddleware, notFoundMiddleware } from './kernel/http/errors.middleware';
import { NotFoundError } from './kernel/errors';
import { createMetrics } from './kernel/http/metrics';
import { requestLog } from './kernel/http/request-log';
import { buildOpenApiDocument } from './kernel/http/openapi';
import { merchantIdentityHandlers, platformIdentityHandlers } from './modules/identity';
import { merchantTenantHandlers, platformTenantHandlers, shopTenantHandlers } from './modules/tenants';
import { merchantShopperHandlers, shopShopperHandlers } from './modules/shoppers';
import { merchantNotificationHandlers } from './modules/notifications';
import { merchantOnboardingHandlers, platformQualificationReviewHandlers } from './modules/onboarding';
import { merchantCatalogHandlers, shopCatalogHandlers } from './modules/catalog';
import { shopCartHandlers } from './modules/cart';
import { merchantOrderHandlers, shopOrderHandlers } from './modules/orders';
import { merchantLogisticsHandlers, shopLogisticsHandlers } from './modules/logistics';
import {
  merchantOrderOpsHandlers,
  merchantWorkflowHandlers,
  platformWorkflowHandlers,
  shopWorkflowHandlers,
  wechatComplaintWebhooks,
  WECHATPAY_COMPLAINTS_WEBHOOK,
} from './modules/orders/workflows';
import { merchantReviewHandlers, shopReviewHandlers } from './modules/reviews';
import { merchantMarketingHandlers, shopMarketingHandlers } from './modules/marketing';
import { merchantMemberHandlers, shopMemberHandlers } from './modules/members';
import { merchantDistributionHandlers, shopDistributionHandlers } from './modules/distribution';
import {
  merchantAfterSalesHandlers,
  merchantComplaintHandlers,
  platformComplaintHandlers,
  shopAfterSalesHandlers,
  shopComplaintHandlers,
} from './modules/after-sales';
import { merchantSupportHandlers, shopSupportHandlers, wechatCustomerServiceHandler } from './modules/support';
import { merchantMiniappHandlers, wechatWebhooks } from './modules/miniapp';
import { shopSharingHandlers } from './modules/sharing';
import { merchantAnalyticsHandlers, shopAnalyticsHandlers } from './modules/analytics';
import { shopRecommendationHandlers } from './modules/recommendations';
import { merchantStorefrontHandlers, shopStorefrontHandlers } from './modules/storefront';
import { merchantReleaseHandlers, platformReleaseHandlers, wechatEventWebhooks } from './modules/releases';
import { merchantPaymentHandlers, paymentWebhooks, shopPaymentHandlers } from './modules/payments';
import { apiRequestCounter, platformUsageHandlers } from './modules/usage';
import { consoleSite, shopSites } from './http/static-sites';
import { QUEUES_PATH, queuesDashboard } from './http/queues-dashboard';
import { readiness } from './http/health';

const VERSION = '0.1.0';

/** The HTTP app: three API surfaces, payment and WeChat webhooks, health, metrics, docs, the console and the shops' h5. */
export function createApp(platform: Platform): Express {
  const { config, services } = platform;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY);
  app.set('query parser', 'simple');

  app.set('etag', false);
  const s3Origin = new URL(platform.storage.publicUrl('x')).origin;
  // Pages (console, shop h5, docs, queue dashboard) get the full set of headers, CSP included; JSON API
  // answers only those that matter for JSON — every extra header is paid for on the hottest paths.
  const pageHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        'img-src': ["'self'", 'data:', 'blob:', s3Origin],
        // Product videos play from the public bucket (console preview, the h5 shop's gallery).
        'media-src': ["'self'", 'blob:', s3Origin],
        // Reviewers preview private PDFs inline through signed URLs.
        'frame-src': ["'self'", s3Origin],
        'connect-src': ["'self'"],
        // The h5 shop posts UnionPay's signed payment form to its front gateway.
        'form-action': ["'self'", new URL(config.UNIONPAY_GATEWAY).origin],
        'upgrade-insecure-requests': null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  const apiHeaders = helmet({
    contentSecurityPolicy: false,
    crossOriginEmbedderPolicy: false,
    crossOriginOpenerPolicy: false,
    crossOriginResourcePolicy: false,
    originAgentCluster: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xFrameOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
    referrerPolicy: { policy: 'no-referrer' },
  });
  const API_PREFIXES = ['/platform-api/', '/merchant-api/', '/shop-api/'];
  app.use((req, res, next) =>
    (API_PREFIXES.some((p) => req.path.startsWith(p)) && !req.path.startsWith(QUEUES_PATH) ? apiHeaders : pageHeaders)(
      req,
      res,
      next,
    ),
  );
  app.use(requestLog(platform.log));
  const metrics = createMetrics();
  app.use(metrics.middleware);
  // Webhooks are verified over their exact bytes: mounted before any body parser.
  app.use(
    '/webhooks/wechat/events',
    wechatEventWebhooks(
      services.wechatAuthorization,
      services.tenants,
      services.releases,
      platform.log,
      wechatCustomerServiceHandler(services.support),
    ),
  );
  app.use('/webhooks/wechat', wechatWebhooks(services.wechatAuthorization, platform.log));
  app.use(WECHATPAY_COMPLAINTS_WEBHOOK, wechatComplaintWebhooks(services.wechatComplaints, platform.log));
  app.use('/webhooks', paymentWebhooks(services.applyPayment.handle, platform.log));
  // Every endpoint takes JSON (or multipart, parsed per route); the form-encoded callbacks are webhooks,
  // parsed above from their raw bytes. No other body parser runs on every request.
  app.use(express.json({ limit: config.BODY_LIMIT, strict: true }));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const report = await readiness(platform);
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  const surfaces = [
    { name: 'platform', title: 'Platform API (staff)', root: API_ROOTS.platform, endpoints: platformApi },
    { name: 'merchant', title: 'Merchant API (tenant console)', root: API_ROOTS.merchant, endpoints: merchantApi },
    { name: 'shop', title: 'Shop API (mini-program and h5)', root: API_ROOTS.shop, endpoints: shopApi },
  ] as const;
  const docOptions = { version: VERSION, serverUrl: config.publicUrl };
  const openapi = buildOpenApiDocument(
    surfaces.map((s) => ({ root: s.root, endpoints: s.endpoints })),
    docOptions,
  );
  const perSurface = new Map<string, unknown>(
    surfaces.map((s) => [s.name, buildOpenApiDocument([{ root: s.root, endpoints: s.endpoints }], docOptions)]),
  );
  app.get('/docs/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  app.get('/docs/openapi/:surface.json', (req, res, next) => {
    const doc = perSurface.get(req.params.surface);
    if (doc) res.json(doc);
    else next(new NotFoundError('API_DOCUMENT_NOT_FOUND'));
  });
  // One definition per surface in Swagger UI: the combined document is too large for it to render whole.
  app.use(
    '/docs',
    swaggerUi.serve,
    swaggerUi.setup(undefined, {
      customSiteTitle: 'Shopfleet API',
      explorer: true,
      swaggerOptions: {
        urls: surfaces.map((s) => ({ url: `/docs/openapi/${s.name}.json`, name: s.title })),
        'urls.primaryName': surfaces[1].title,
      },
    }),
  );

  const deps: RouteDeps = {
    authenticate: (audience, token) => services.identity.authenticate(audience, token),
    resolveShop: (shopKey, access) => services.tenants.openShop(shopKey, access),
  };
  const platformHandlers: Handlers<typeof platformApi> = {
    ...platformIdentityHandlers(services.identity, services.sessions, services.audit, config.ACCESS_TOKEN_TTL_SECONDS),
    ...platformTenantHandlers(services.tenants),
    ...platformQualificationReviewHandlers(services.qualificationReview, services.rules),
    ...platformReleaseHandlers(services.templates, services.releases, services.bulkReleases),
    ...platformComplaintHandlers(services.complaints),
    ...platformWorkflowHandlers(services),
    ...platformUsageHandlers(services.usage, services.platformFigures),
  };
  const merchantHandlers: Handlers<typeof merchantApi> = {
    ...merchantIdentityHandlers(services.identity, services.sessions, services.audit),
    ...merchantTenantHandlers(services.tenants),
    ...merchantShopperHandlers(services.shoppers),
    ...merchantNotificationHandlers(services.notifications),
    ...merchantOnboardingHandlers(services.onboarding, services.firstSteps),
    ...merchantCatalogHandlers(services.catalog, services.imports),
    ...merchantOrderHandlers(services.merchantOrders, services.freightTemplates),
    ...merchantLogisticsHandlers(services.prints, services.tracking),
    ...merchantWorkflowHandlers(services),
    ...merchantOrderOpsHandlers(services),
    ...merchantPaymentHandlers(services.paymentSettings, services.payments),
    ...merchantReviewHandlers(services.reviews),
    ...merchantMarketingHandlers(services.marketing, services.promotions, services.flash, services.groupBuys),
    ...merchantMemberHandlers(services.members),
    ...merchantDistributionHandlers(services.distribution),
    ...merchantAnalyticsHandlers(services.analytics, services.pendingWork),
    ...merchantAfterSalesHandlers(services.afterSales),
    ...merchantComplaintHandlers(services.complaints),
    ...merchantSupportHandlers(services.support),
    ...merchantMiniappHandlers(services.wechatAuthorization),
    ...merchantReleaseHandlers(services.packages, services.releases, services.codeUploads),
    ...merchantStorefrontHandlers(services.storefront),
  };
  const shopHandlers: Handlers<typeof shopApi> = {
    ...shopTenantHandlers(services.tenants),
    ...shopShopperHandlers(services.shoppers),
    ...shopCatalogHandlers(services.shopCatalog),
    ...shopCartHandlers(services.cart),
    ...shopOrderHandlers(services.orders),
    ...shopLogisticsHandlers(services.tracking),
    ...shopWorkflowHandlers(services),
    ...shopPaymentHandlers(services.payments),
    ...shopReviewHandlers(services.reviews),
    ...shopMarketingHandlers(services.marketing, services.flash, services.groupBuys),
    ...shopMemberHandlers(services.members),
    ...shopDistributionHandlers(services.distribution),
    ...shopAfterSalesHandlers(services.afterSales),
    ...shopComplaintHandlers(services.complaints),
    ...shopSupportHandlers(services.support),
    ...shopSharingHandlers(services.sharing),
    ...shopAnalyticsHandlers(services.analytics, services.eventsLimiter),
    ...shopRecommendationHandlers(services.recommendations),
    ...shopStorefrontHandlers(services.storefront),
  };

  const dashboard = queuesDashboard(
    Object.values(QUEUES).map((name) => platform.queues.get(name)),
    services.identity,
  );
  app.use(QUEUES_PATH, cookieParser(), dashboard.guard, dashboard.router);
  // Each shop's API requests are metered (usage): counted once the router has known the shop and the answer is sent.
  app.use([API_ROOTS.merchant, API_ROOTS.shop], apiRequestCounter(services.usage));
  app.use(API_ROOTS.platform, endpointRouter('platform', platformApi, platformHandlers, deps));
  app.use(API_ROOTS.merchant, endpointRouter('merchant', merchantApi, merchantHandlers, deps));
  app.use(API_ROOTS.shop, endpointRouter('shop', shopApi, shopHandlers, deps));

  app.use('/console', consoleSite(config.CONSOLE_DIST));
  app.use('/s', shopSites(config.MINIAPP_H5_DIST, services.tenants));
  app.get('/', (_req, res) => res.redirect(302, '/console/'));

  app.use(notFoundMiddleware);
  app.use(errorMiddleware);
  return app;
}
