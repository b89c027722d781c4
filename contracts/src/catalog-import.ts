import { z } from 'zod';
import { isoDateTime } from './common';
import {
  IMPORT_CHINESE_HEADERS,
  IMPORT_FORMATS,
  IMPORT_LANGUAGES,
  IMPORT_ROW_ERROR_CODES,
  IMPORT_ROW_ERROR_TEXTS,
  IMPORT_STATUSES,
  type ImportLanguage,
  type ImportReadColumn,
  type ProductStatus,
} from './catalog.constants';
import { jobFailureSchema } from './jobs';

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

/** A column's name as a reader of the language knows it: its Chinese header, or its key. */
export function importColumnLabel(column: string, language: ImportLanguage): string {
  return language === 'zh-CN' ? (IMPORT_CHINESE_HEADERS[column as ImportReadColumn] ?? column) : column;
}

/**
 * The text of a row error in a language, from its code and params; its English message when the code is
 * unknown (a report stored before row errors had codes).
 */
export function formatImportRowError(
  error: Pick<ImportRowError, 'code' | 'params'> & { message?: string },
  language: ImportLanguage,
): string {
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
