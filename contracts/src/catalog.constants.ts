/** Money is integer fen (1/100 CNY): at most 100 000 000 yuan. */
export const FEN_MAX = 100_000_000_00;

export const CATEGORY_MAX_DEPTH = 3;
/** The name of a category. */
export const CATEGORY_NAME_MAX = 40;
export const DESCRIPTION_MAX_CHARS = 50_000;
export const CATALOG_IMAGE_MAX_BYTES = 10 * 1024 * 1024;
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
