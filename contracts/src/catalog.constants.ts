/** Money is integer fen (1/100 CNY): at most 100 000 000 yuan. */
export const FEN_MAX = 100_000_000_00;

export const CATEGORY_MAX_DEPTH = 3;
/** The name of a category. */
export const CATEGORY_NAME_MAX = 40;
export const DESCRIPTION_MAX_CHARS = 50_000;
export const CATALOG_IMAGE_MAX_BYTES = 10 * 1024 * 1024;
/** A product video (MP4): at most 50 MB, kept on disk while it is checked and stored. */
export const CATALOG_VIDEO_MAX_BYTES = 50 * 1024 * 1024;
export const PRODUCT_STATUSES = ['draft', 'on_sale', 'off_sale'] as const;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];

/** Limits of productInputSchema, skuInputSchema and specSchema. */
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
  /** A price: at least 1 fen. */
  priceFenMin: 1,
  priceFenMax: FEN_MAX,
  stockMax: 10_000_000,
  /** The most a purchase limit (per order, per shopper) may be. */
  purchaseLimitMax: 9_999,
  /** A SKU's weight in grams (freight by weight): at most 1 t. */
  weightGramsMax: 1_000_000,
  /** A SKU's volume in cm³ (freight by volume): at most 10 m³. */
  volumeCm3Max: 10_000_000,
} as const;

/** What a batch does to the products it names. */
export const BATCH_PRODUCT_ACTIONS = ['on_sale', 'off_sale', 'delete'] as const;
export type BatchProductAction = (typeof BATCH_PRODUCT_ACTIONS)[number];

/** Most characters of a shopper's search. */
export const SHOP_SEARCH_MAX_CHARS = 40;
/** Most `facet` filters of one product list. */
export const FACET_FILTERS_MAX = 10;

/** Limits of homeLayoutInputSchema: banners, category shortcuts, and each product list. */
export const HOME_LIMITS = { banners: 10, shortcuts: 10, productList: 20 } as const;

// ---- import and export ----------------------------------------------------------------------------

export const IMPORT_MAX_BYTES = 30 * 1024 * 1024;
export const IMPORT_FORMATS = ['csv', 'xlsx'] as const;

/**
 * Columns of the import and export files, one row per SKU; rows with the same spu_code form one
 * product (upserted by spu_code). Lists are `|`-separated; attributes and spec values are `name:value`.
 */
export const IMPORT_COLUMNS = [
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
] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];
/** Required columns; a price is required too, as price_fen or as price_yuan. */
export const REQUIRED_IMPORT_COLUMNS = ['spu_code', 'title', 'category_path', 'stock'] as const;

/** Data rows an import file may hold (the header row not counted); a longer file is refused at upload. */
export const IMPORT_MAX_ROWS = 200_000;

/** Prices may be given in yuan (元, up to 2 decimals) instead of fen, a file using one or the other. */
export const IMPORT_YUAN_COLUMNS = ['price_yuan', 'original_price_yuan'] as const;
/** Every column an import file may have: the export's columns and the yuan prices. */
export const IMPORT_READ_COLUMNS = [...IMPORT_COLUMNS, ...IMPORT_YUAN_COLUMNS] as const;
export type ImportReadColumn = (typeof IMPORT_READ_COLUMNS)[number];

/** The Chinese header of each column, as the zh-CN template writes it; the import reads either name. */
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

/** Where an import stands. */
export const IMPORT_STATUSES = ['queued', 'running', 'done', 'failed'] as const;

export const IMPORT_LANGUAGES = ['zh-CN', 'en'] as const;
export type ImportLanguage = (typeof IMPORT_LANGUAGES)[number];

/** Why an import row was rejected: a stable code; the client renders the text from it and `params`. */
export const IMPORT_ROW_ERROR_CODES = [
  'SPU_CODE_REQUIRED',
  'SPU_CODE_TOO_LONG',
  'REQUIRED',
  'NOT_FEN',
  'NOT_WHOLE_NUMBER',
  'NOT_YUAN',
  'NOT_PAIR',
  'SPECS_DIFFER',
  'CATEGORY_DEPTH',
  'CATEGORY_NAME_TOO_LONG',
  'IMAGE_URLS_INVALID',
  'STATUS_INVALID',
  'TOO_LONG',
  'TOO_MANY',
  'TOO_SMALL',
  'TOO_LARGE',
  'INVALID',
  'SPEC_NAMES_DUPLICATE',
  'SPEC_VALUES_DUPLICATE',
  'SKU_SPEC_COUNT',
  'SKU_SPEC_VALUE_UNKNOWN',
  'SKU_COMBINATION_DUPLICATE',
  'ORIGINAL_PRICE_BELOW_PRICE',
  'SKU_COMBINATIONS_COUNT',
  'REJECTED_WITH_ROW',
] as const;
export type ImportRowErrorCode = (typeof IMPORT_ROW_ERROR_CODES)[number];

/**
 * The texts of the row errors: in the files the server writes (the error report), and in the console's
 * locale files (`catalog.import.rowErrors`), which take them from here. No `|` or `@`: vue-i18n reads those.
 */
export const IMPORT_ROW_ERROR_TEXTS: Record<ImportLanguage, Record<ImportRowErrorCode, string>> = {
  en: {
    SPU_CODE_REQUIRED: 'spu_code is required',
    SPU_CODE_TOO_LONG: 'spu_code is longer than {max} characters',
    REQUIRED: '{column} is required',
    NOT_FEN: '{column}: "{value}" is not a whole number of fen',
    NOT_WHOLE_NUMBER: '{column}: "{value}" is not a whole number',
    NOT_YUAN: '{column}: "{value}" is not an amount in yuan (at most 2 decimals)',
    NOT_PAIR: '{column}: "{value}" is not name:value',
    SPECS_DIFFER: 'spec_values must name the same specs on every row of {spuCode} ({specs})',
    CATEGORY_DEPTH: 'category_path: "{value}" must be 1 to 3 names separated by /',
    CATEGORY_NAME_TOO_LONG: 'category_path: a name is longer than {max} characters',
    IMAGE_URLS_INVALID: 'image_urls must be http(s) URLs',
    STATUS_INVALID: 'status: "{value}" is not draft, on_sale or off_sale',
    TOO_LONG: '{column} is longer than {max} characters',
    TOO_MANY: '{column} has more than {max} items',
    TOO_SMALL: '{column} must be at least {min}',
    TOO_LARGE: '{column} must be at most {max}',
    INVALID: '{column} is not valid',
    SPEC_NAMES_DUPLICATE: 'spec names must be unique',
    SPEC_VALUES_DUPLICATE: 'the values of a spec must be unique',
    SKU_SPEC_COUNT: 'needs one value for each of the {count} specs',
    SKU_SPEC_VALUE_UNKNOWN: '"{value}" is not a value of {spec}',
    SKU_COMBINATION_DUPLICATE: 'this combination appears twice',
    ORIGINAL_PRICE_BELOW_PRICE: 'the original price cannot be below the price',
    SKU_COMBINATIONS_COUNT: 'the specs make {expected} combinations; {given} SKUs were given',
    REJECTED_WITH_ROW: 'rejected with row {row} of the same product',
  },
  'zh-CN': {
    SPU_CODE_REQUIRED: '缺少商品编码',
    SPU_CODE_TOO_LONG: '商品编码超过 {max} 个字符',
    REQUIRED: '{column}不能为空',
    NOT_FEN: '{column}“{value}”不是整数（单位：分）',
    NOT_WHOLE_NUMBER: '{column}“{value}”不是整数',
    NOT_YUAN: '{column}“{value}”不是有效金额（单位：元，最多两位小数）',
    NOT_PAIR: '{column}“{value}”应写成 名称:值',
    SPECS_DIFFER: '商品 {spuCode} 的每一行须写相同的规格（{specs}）',
    CATEGORY_DEPTH: '分类“{value}”须为 1 到 3 级分类名，用 / 分隔',
    CATEGORY_NAME_TOO_LONG: '分类名称超过 {max} 个字符',
    IMAGE_URLS_INVALID: '图片链接须为 http 或 https 地址',
    STATUS_INVALID: '状态“{value}”无效，应为 在售、下架 或 草稿',
    TOO_LONG: '{column}超过 {max} 个字符',
    TOO_MANY: '{column}超过 {max} 项',
    TOO_SMALL: '{column}不能小于 {min}',
    TOO_LARGE: '{column}不能大于 {max}',
    INVALID: '{column}无效',
    SPEC_NAMES_DUPLICATE: '规格名称不能重复',
    SPEC_VALUES_DUPLICATE: '同一规格的值不能重复',
    SKU_SPEC_COUNT: '须为 {count} 个规格各写一个值',
    SKU_SPEC_VALUE_UNKNOWN: '“{value}”不是规格“{spec}”的值',
    SKU_COMBINATION_DUPLICATE: '该规格组合重复出现',
    ORIGINAL_PRICE_BELOW_PRICE: '原价不能低于价格',
    SKU_COMBINATIONS_COUNT: '规格共有 {expected} 种组合，但只有 {given} 个 SKU',
    REJECTED_WITH_ROW: '与同一商品的第 {row} 行一起被拒绝',
  },
};
