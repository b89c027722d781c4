import { z } from 'zod';
import { isoDateTime } from './common';
import { IMPORT_CHINESE_HEADERS, IMPORT_FORMATS, IMPORT_STATUSES, type ImportReadColumn, type ProductStatus } from './catalog.constants';
import { jobFailureSchema } from './jobs';

export const IMPORT_LANGUAGES = ['zh-CN', 'en'] as const;
export type ImportLanguage = (typeof IMPORT_LANGUAGES)[number];

/** Other Chinese headers Chinese spreadsheets use for the same columns. */
export const IMPORT_HEADER_ALIASES: Record<string, ImportReadColumn> = {
  商品分类: 'category_path',
  分类路径: 'category_path',
  类目: 'category_path',
  商品描述: 'description',
  描述: 'description',
  详情: 'description',
  图片: 'image_urls',
  图片地址: 'image_urls',
  商品图片: 'image_urls',
  商品属性: 'attributes',
  商品状态: 'status',
  规格编码: 'sku_code',
  规格值: 'spec_values',
  价格: 'price_yuan',
  售价: 'price_yuan',
  '售价(元)': 'price_yuan',
  原价: 'original_price_yuan',
  划线价: 'original_price_yuan',
  '划线价(元)': 'original_price_yuan',
  '售价(分)': 'price_fen',
  '划线价(分)': 'original_price_fen',
};

/**
 * The two columns the error report adds before each rejected row: its row in the uploaded file and
 * the reason. The import ignores them, so a corrected report can be uploaded again as it is.
 */
export const IMPORT_REPORT_HEADERS: Record<ImportLanguage, { row: string; error: string }> = {
  'zh-CN': { row: '原行号', error: '错误原因' },
  en: { row: 'source_row', error: 'error' },
};

/** Statuses as a Chinese sheet writes them. */
export const IMPORT_STATUS_ALIASES: Record<string, ProductStatus> = {
  在售: 'on_sale',
  上架: 'on_sale',
  出售中: 'on_sale',
  下架: 'off_sale',
  已下架: 'off_sale',
  草稿: 'draft',
};

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

export const importRowErrorSchema = z
  .object({
    /** The row as the spreadsheet numbers it (the header is row 1). */
    row: z.number().int(),
    spuCode: z.string().nullable(),
    code: z.enum(IMPORT_ROW_ERROR_CODES),
    /** Values the text names; `column` is a column's key (price_fen…), shown by its header in the reader's language. */
    params: z.record(z.string(), z.union([z.string(), z.number()])),
    /** The English text, for clients that do not know the code. */
    message: z.string(),
  })
  .meta({ id: 'ImportRowError' });
export type ImportRowError = z.infer<typeof importRowErrorSchema>;

export const importJobSchema = z
  .object({
    id: z.number().int(),
    format: z.enum(IMPORT_FORMATS),
    fileName: z.string(),
    status: z.enum(IMPORT_STATUSES),
    totalRows: z.number().int(),
    processedRows: z.number().int(),
    createdProducts: z.number().int(),
    updatedProducts: z.number().int(),
    rejectedRows: z.number().int(),
    /** Why rows were rejected: the first 500, by row number (the header is row 1). */
    errors: z.array(importRowErrorSchema),
    failureReason: z.string().nullable(),
    /** Why the import stopped, as a stable code with params (null unless failed). A retry goes on from the checkpoint. */
    failure: jobFailureSchema.nullable(),
    /** Every product whose rows all lie at or before this row number is written (0: none yet); a retry goes on after it, never from the first row. */
    checkpointRow: z.number().int(),
    createdAt: isoDateTime,
    finishedAt: isoDateTime.nullable(),
  })
  .meta({ id: 'ImportJob' });
export type ImportJob = z.infer<typeof importJobSchema>;

/**
 * The texts of the row errors, for the files the server writes (the error report). The console keeps
 * the same texts in its locale files (`catalog.import.rowErrors`). No `|` or `@`: vue-i18n reads those.
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

/** A column's name as a reader of the language knows it: its Chinese header, or its key. */
export function importColumnLabel(column: string, language: ImportLanguage): string {
  return language === 'zh-CN' ? (IMPORT_CHINESE_HEADERS[column as ImportReadColumn] ?? column) : column;
}

/**
 * The text of a row error in a language, from its code and params; its English message when the code is
 * unknown (a report stored before row errors had codes).
 */
export function formatImportRowError(error: Pick<ImportRowError, 'code' | 'params'> & { message?: string }, language: ImportLanguage): string {
  const text = IMPORT_ROW_ERROR_TEXTS[language][error.code] as string | undefined;
  if (text === undefined) return error.message ?? '';
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = error.params?.[name];
    if (value === undefined) return whole;
    return name === 'column' ? importColumnLabel(String(value), language) : String(value);
  });
}

export const importTemplateQuerySchema = z.strictObject({
  format: z.enum(IMPORT_FORMATS).default('xlsx'),
  language: z.enum(IMPORT_LANGUAGES).default('zh-CN'),
});
export const importReportQuerySchema = importTemplateQuerySchema;
