/**
 * Local copies of small constant lists from @shopfleet/contracts. Importing the values from the
 * contracts would pull their zod schemas into the bundle, so they are repeated here; `listOf` makes
 * the type checker fail when a copy and the contract's type drift apart (a value missing or extra).
 */
import type {
  CARRIERS as CONTRACT_CARRIERS,
  HOME_SECTIONS as CONTRACT_HOME_SECTIONS,
  PREVIEW_MESSAGES as CONTRACT_PREVIEW_MESSAGES,
  TAB_PAGES as CONTRACT_TAB_PAGES,
  CATEGORY_MAX_DEPTH as CONTRACT_CATEGORY_MAX_DEPTH,
  IMPORT_COLUMNS as CONTRACT_IMPORT_COLUMNS,
  IMPORT_FORMATS as CONTRACT_IMPORT_FORMATS,
  IMPORT_YUAN_COLUMNS as CONTRACT_IMPORT_YUAN_COLUMNS,
  ImportReadColumn,
  ImportRowErrorCode,
  ORDER_EXPORT_MAX_ROWS as CONTRACT_ORDER_EXPORT_MAX_ROWS,
  RELEASE_FUNC_SETS as CONTRACT_RELEASE_FUNC_SETS,
  REQUIRED_IMPORT_COLUMNS as CONTRACT_REQUIRED_IMPORT_COLUMNS,
  SHIPPING_TEMPLATES_MAX as CONTRACT_SHIPPING_TEMPLATES_MAX,
  DocumentFieldSpec,
  ImportJob,
  MerchantOrder,
  OrderStatus,
  ProductStatus,
  DocumentStatus,
  EndpointInput,
  MerchantRole,
  RejectReason,
  SubjectType,
  TenantStatus,
  BulkRelease,
  merchantApi,
  platformApi,
} from '@shopfleet/contracts';

type Missing<T, A extends readonly T[]> = Exclude<T, A[number]>;

/** A list holding exactly the members of T: a missing member is a type error at the call. */
function listOf<T>() {
  return <const A extends readonly T[]>(values: A & ([Missing<T, A>] extends [never] ? unknown : { missing: Missing<T, A> })): A =>
    values;
}

/** contracts SUBJECT_TYPES */
export const SUBJECT_TYPES = listOf<SubjectType>()(['enterprise', 'individual']);

/** contracts REJECT_REASONS */
export const REJECT_REASONS = listOf<RejectReason>()([
  'unreadable',
  'incomplete',
  'expired',
  'mismatch',
  'wrong_document',
  'not_authentic',
  'other',
]);

/** contracts DOCUMENT_STATUSES */
export const DOCUMENT_STATUSES = listOf<DocumentStatus>()(['draft', 'pending', 'approved', 'rejected', 'superseded']);

/** contracts MERCHANT_ROLES */
export const MERCHANT_ROLES = listOf<MerchantRole>()(['owner', 'staff']);

/** contracts TENANT_STATUSES */
export const TENANT_STATUSES = listOf<TenantStatus>()(['pending_review', 'active', 'suspended']);

/** contracts DOCUMENT_FIELD_KINDS */
export const DOCUMENT_FIELD_KINDS = listOf<DocumentFieldSpec['kind']>()(['text', 'creditCode', 'idNumber', 'date']);

export type ReviewQueueStatus = EndpointInput<typeof platformApi.reviewQueue>['query']['status'];
/** The review queue's status filter (contracts reviewQueueQuerySchema.status). */
export const REVIEW_QUEUE_STATUSES = listOf<ReviewQueueStatus>()(['pending', 'approved', 'rejected']);

/** contracts QUALIFICATION_FILE_MAX_BYTES */
export const QUALIFICATION_FILE_MAX_BYTES = 10 * 1024 * 1024;

/** The files the server takes for a document (contracts qualificationFileSchema.contentType). */
export const QUALIFICATION_FILE_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
export const QUALIFICATION_FILE_ACCEPT = '.jpg,.jpeg,.png,.pdf';

/** At most this many files for a document without page labels (contracts createDocumentBodySchema.fileIds). */
export const MAX_DOCUMENT_FILES = 10;

/** contracts phoneSchema: a mainland China mobile number. */
export const PHONE_PATTERN = /^1[3-9]\d{9}$/;

/** contracts codeSchema: codes of categories and document types. */
export const CODE_PATTERN = /^[a-z][a-z0-9_]{1,39}$/;

/** contracts documentFieldSpecSchema.key */
export const FIELD_KEY_PATTERN = /^[a-zA-Z][a-zA-Z0-9]{0,39}$/;

// ---- catalog ----------------------------------------------------------------------------------------

/** contracts CATEGORY_MAX_DEPTH: categories nest at most this deep (a top-level category is level 1). */
export const CATEGORY_MAX_DEPTH: typeof CONTRACT_CATEGORY_MAX_DEPTH = 3;

/** contracts PRODUCT_STATUSES */
export const PRODUCT_STATUSES = listOf<ProductStatus>()(['draft', 'on_sale', 'off_sale']);

export type BatchProductAction = EndpointInput<typeof merchantApi.batchProducts>['body']['action'];
/** contracts batchProductsBodySchema.action */
export const BATCH_PRODUCT_ACTIONS = listOf<BatchProductAction>()(['on_sale', 'off_sale', 'delete']);

/** contracts importJobSchema.status */
export const IMPORT_STATUSES = listOf<ImportJob['status']>()(['queued', 'running', 'done', 'failed']);

/** contracts CATALOG_IMAGE_MAX_BYTES */
export const CATALOG_IMAGE_MAX_BYTES = 10 * 1024 * 1024;
/** The images the server takes for products, categories and banners (JPEG, PNG or WebP). */
export const CATALOG_IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export const CATALOG_IMAGE_ACCEPT = '.jpg,.jpeg,.png,.webp';

/** contracts DESCRIPTION_MAX_CHARS */
export const DESCRIPTION_MAX_CHARS = 50_000;

/** contracts IMPORT_MAX_ROWS */
export const IMPORT_MAX_ROWS = 200_000;
/** contracts IMPORT_MAX_BYTES */
export const IMPORT_MAX_BYTES = 30 * 1024 * 1024;
/** contracts IMPORT_FORMATS */
export const IMPORT_FORMATS: typeof CONTRACT_IMPORT_FORMATS = ['csv', 'xlsx'];
/** contracts IMPORT_COLUMNS, in file order (the type makes a reordered or renamed copy fail to compile). */
export const IMPORT_COLUMNS: typeof CONTRACT_IMPORT_COLUMNS = [
  'spu_code',
  'title',
  'subtitle',
  'brand',
  'category_path',
  'tags',
  'description',
  'image_urls',
  'attributes',
  'status',
  'sku_code',
  'spec_values',
  'price_fen',
  'original_price_fen',
  'stock',
];
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];
/** contracts REQUIRED_IMPORT_COLUMNS */
export const REQUIRED_IMPORT_COLUMNS: typeof CONTRACT_REQUIRED_IMPORT_COLUMNS = ['spu_code', 'title', 'category_path', 'stock'];
/** contracts IMPORT_YUAN_COLUMNS: prices in yuan, the alternative to the fen columns */
export const IMPORT_YUAN_COLUMNS: typeof CONTRACT_IMPORT_YUAN_COLUMNS = ['price_yuan', 'original_price_yuan'];
/** contracts IMPORT_CHINESE_HEADERS: the Chinese header of each column, as a file may name it */
export const IMPORT_CHINESE_HEADERS: Record<ImportReadColumn, string> = {
  spu_code: '商品编码',
  title: '商品名称',
  subtitle: '副标题',
  brand: '品牌',
  category_path: '分类',
  tags: '标签',
  description: '商品详情',
  image_urls: '图片链接',
  attributes: '属性',
  status: '状态',
  sku_code: 'SKU编码',
  spec_values: '规格',
  price_fen: '价格(分)',
  original_price_fen: '原价(分)',
  stock: '库存',
  price_yuan: '价格(元)',
  original_price_yuan: '原价(元)',
};
export type { ImportReadColumn, ImportRowErrorCode };

/** Limits of contracts productInputSchema / skuInputSchema / specSchema. */
export const PRODUCT_LIMITS = {
  titleMax: 120,
  subtitleMax: 200,
  brandMax: 60,
  tagsMax: 20,
  tagMax: 20,
  imagesMax: 20,
  attributeNameMax: 20,
  attributeValueMax: 30,
  specsMax: 3,
  specNameMax: 20,
  specValuesMax: 30,
  specValueMax: 30,
  skusMax: 600,
  skuCodeMax: 64,
  /** positiveFenSchema: at least 1 fen, at most 100 000 000 yuan. */
  priceFenMin: 1,
  priceFenMax: 100_000_000_00,
  stockMax: 10_000_000,
} as const;

/** contracts createCategoryBodySchema.name */
export const CATEGORY_NAME_MAX = 40;

/** Limits of contracts homeLayoutInputSchema. */
export const HOME_LIMITS = { banners: 10, shortcuts: 10, productList: 20 } as const;

// ---- orders, shipping, payments, reviews ----------------------------------------------------------

/** contracts ORDER_STATUSES */
export const ORDER_STATUSES = listOf<OrderStatus>()(['pending_payment', 'paid', 'shipped', 'completed', 'cancelled', 'refunded']);

/** contracts CARRIERS: WeChat's delivery_id codes and the carriers' names (the type makes a drifted copy fail to compile). */
export const CARRIERS: typeof CONTRACT_CARRIERS = {
  SF: '顺丰速运',
  ZTO: '中通快递',
  YTO: '圆通速递',
  STO: '申通快递',
  YD: '韵达速递',
  JTSD: '极兔速递',
  JD: '京东物流',
  EMS: '中国邮政 EMS',
  DBL: '德邦快递',
};
export type CarrierCode = keyof typeof CONTRACT_CARRIERS;
/** contracts CARRIER_CODES */
export const CARRIER_CODES = listOf<CarrierCode>()(['SF', 'ZTO', 'YTO', 'STO', 'YD', 'JTSD', 'JD', 'EMS', 'DBL']);

/** contracts merchantOrderSchema.wechatShipping */
export type WechatShippingStatus = MerchantOrder['wechatShipping'];

/** contracts ORDER_EXPORT_MAX_ROWS: an export holds at most this many rows (a row per order line). */
export const ORDER_EXPORT_MAX_ROWS: typeof CONTRACT_ORDER_EXPORT_MAX_ROWS = 50_000;

/** contracts shipOrderBodySchema.trackingNo */
export const TRACKING_NO_PATTERN = /^[A-Za-z0-9-]{6,40}$/;

/** Limits of contracts merchantOrderFilterSchema, orderRemarkBodySchema, merchantCancelBodySchema and refundOrderBodySchema. */
export const ORDER_LIMITS = { qMax: 60, remarkMax: 500, cancelReasonMax: 200, refundReasonMax: 80 } as const;

/** contracts orderSettingsSchema */
export const ORDER_SETTINGS_LIMITS = {
  paymentWindowMinutesMin: 5,
  paymentWindowMinutesMax: 1440,
  autoConfirmDaysMin: 3,
  autoConfirmDaysMax: 30,
} as const;

/** Limits of contracts shippingTemplateInputSchema and SHIPPING_TEMPLATES_MAX. */
export const SHIPPING_TEMPLATES_MAX: typeof CONTRACT_SHIPPING_TEMPLATES_MAX = 20;
export const SHIPPING_LIMITS = {
  templatesMax: SHIPPING_TEMPLATES_MAX,
  nameMax: 40,
  /** feeFen: 0 to 100 000 yuan. */
  feeFenMax: 100_000_00,
  rulesMax: 50,
  regionsMax: 400,
} as const;

/** Field formats of contracts wechatPaySettingsInputSchema and alipaySettingsInputSchema. */
export const PAYMENT_PATTERNS = {
  wechatAppId: /^wx[0-9a-f]{16}$/,
  mchId: /^\d{8,12}$/,
  serialNo: /^[0-9A-Fa-f]{20,64}$/,
  apiV3Key: /^[\x21-\x7e]{32}$/,
  publicKeyId: /^PUB_KEY_ID_[0-9A-Za-z]{10,40}$/,
  pem: /^-----BEGIN [A-Z ]+-----[\s\S]+-----END [A-Z ]+-----$/,
  alipayAppId: /^\d{16}$/,
} as const;
/** The longest PEM text the server takes. */
export const PEM_MAX_CHARS = 8000;

/** Limits of contracts replyReviewBodySchema and hideReviewBodySchema. */
export const REVIEW_LIMITS = { replyMax: 500, hideReasonMax: 200 } as const;

// ---- mini-program -----------------------------------------------------------------------------------

/** contracts RELEASE_FUNC_SETS: the WeChat permission sets a release needs (18 = code management). */
export const RELEASE_FUNC_SETS: typeof CONTRACT_RELEASE_FUNC_SETS = [18];

/** contracts createTemplateVersionBodySchema.version: a semantic version, also the mini-program's user_version. */
export const TEMPLATE_VERSION_PATTERN = /^\d{1,4}\.\d{1,4}\.\d{1,4}$/;

/** contracts createTemplateVersionBodySchema.description */
export const TEMPLATE_DESCRIPTION_MAX = 200;

export type BulkReleaseStatus = BulkRelease['status'];
/** contracts BULK_RELEASE_STATUSES */
export const BULK_RELEASE_STATUSES = listOf<BulkReleaseStatus>()(['canary', 'waiting', 'rolling', 'paused', 'stopped', 'done', 'failed']);

export type BulkTargetState = NonNullable<EndpointInput<typeof platformApi.listBulkReleaseTargets>['query']['state']>;
/** contracts BULK_TARGET_STATES */
export const BULK_TARGET_STATES = listOf<BulkTargetState>()(['waiting', 'started', 'refused', 'skipped']);

export type BulkTargetPhase = NonNullable<EndpointInput<typeof platformApi.listBulkReleaseTargets>['query']['phase']>;
/** contracts bulkReleaseTargetSchema.phase */
export const BULK_TARGET_PHASES = listOf<BulkTargetPhase>()(['canary', 'main']);

/** Limits of contracts createBulkReleaseBodySchema. */
export const BULK_RELEASE_LIMITS = {
  canaryMax: 50,
  tenantsMax: 10_000,
  categoriesMax: 20,
  concurrencyMin: 1,
  concurrencyMax: 50,
  concurrencyDefault: 5,
} as const;

// ---- shop appearance --------------------------------------------------------------------------------

/** contracts TAB_PAGES: the tab pages of the template, in tab bar order. */
export const TAB_PAGES: typeof CONTRACT_TAB_PAGES = ['home', 'category', 'cart', 'user'];
export type TabPage = (typeof TAB_PAGES)[number];

/** contracts HOME_SECTIONS: the sections a shop's home page can show. */
export const HOME_SECTIONS: typeof CONTRACT_HOME_SECTIONS = ['banner', 'notice', 'categories', 'hot', 'new'];
export type HomeSection = (typeof HOME_SECTIONS)[number];

/** Limits of contracts appearanceBodySchema (widths as wechatWidth counts them). */
export const APPEARANCE_LIMITS = {
  nameMinWidth: 4,
  nameMaxWidth: 30,
  tabLabelMaxWidth: 8,
  noticeMax: 60,
  shareTitleMax: 30,
} as const;

/** contracts appearanceBodySchema.customerService.phone */
export const SERVICE_PHONE_PATTERN = /^[0-9+\-\s]{5,20}$/;

/** contracts wechatWidth, from its zod-free module. */
export { wechatWidth } from '@shopfleet/contracts/wechat-text';

/** contracts PREVIEW_MESSAGES: the message types between the appearance editor and the framed shop page. */
export const PREVIEW_MESSAGES: typeof CONTRACT_PREVIEW_MESSAGES = {
  passRequest: 'shopfleet:preview-pass-request',
  pass: 'shopfleet:preview-pass',
  ready: 'shopfleet:preview-ready',
  appearance: 'shopfleet:appearance-preview',
};
