import type { ErrorCode } from '@shopfleet/contracts';
import { isShopClosedCode, shopClosedText } from '../utils/shop-closed';

/** Codes the client raises itself, next to the server's stable codes. */
export type ClientErrorCode = 'NETWORK_ERROR' | 'BAD_RESPONSE' | 'SHOP_CONTEXT_MISSING' | 'PLATFORM_LOGIN_FAILED';

export type ApiErrorCode = ErrorCode | ClientErrorCode;

/** Every failure of the request client: the server's `{ error: { code, message, details } }` or a client-side one. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  /** HTTP status; 0 when the request never got an answer. */
  readonly status: number;
  readonly details: unknown;
  readonly requestId: string | undefined;

  constructor(code: ApiErrorCode, message: string, status = 0, details?: unknown, requestId?: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.details = details;
    this.requestId = requestId;
  }
}

// Server messages are English and meant for developers; shoppers see these.
const MESSAGES: Partial<Record<ApiErrorCode, string>> = {
  TENANT_NOT_ACTIVE: '店铺暂未营业',
  WRONG_SHOP: '该账号不属于当前店铺，请重新登录',
  VALIDATION_FAILED: '输入有误，请检查后重试',
  OTP_INVALID: '验证码错误或已过期',
  TOO_MANY_REQUESTS: '操作过于频繁，请稍后再试',
  UNAUTHENTICATED: '请先登录',
  TOKEN_EXPIRED: '登录已失效，请重新登录',
  TOKEN_INVALID: '登录已失效，请重新登录',
  FORBIDDEN: '没有权限进行此操作',
  NOT_FOUND: '请求的内容不存在',
  CONFLICT: '操作未能完成，请刷新后重试',
  PAYLOAD_TOO_LARGE: '文件太大，请换一张小一点的图片',
  FILE_TYPE_NOT_ALLOWED: '不支持该文件格式，请上传 JPG、PNG 或 WebP 图片',
  UNSUPPORTED_MEDIA_TYPE: '不支持该文件格式，请上传 JPG、PNG 或 WebP 图片',
  WECHAT_LOGIN_FAILED: '微信登录失败，请重试',
  WECHAT_NOT_CONFIGURED: '该店铺暂未开通微信登录',
  UPSTREAM_UNAVAILABLE: '服务暂时不可用，请稍后重试',
  BUSY: '下单的人太多了，请稍后再试',
  NETWORK_ERROR: '网络连接失败，请检查网络后重试',
  BAD_RESPONSE: '服务器返回了无法识别的内容，请稍后重试',
  PLATFORM_LOGIN_FAILED: '登录失败，请重试',
};

const CLIENT_WORDED: ReadonlySet<ApiErrorCode> = new Set<ApiErrorCode>(['SHOP_CONTEXT_MISSING']);

/** The one place that turns any thrown value into text for a shopper. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (CLIENT_WORDED.has(error.code)) return error.message;
    if (isShopClosedCode(error.code)) return shopClosedText(error.code).title;
    return MESSAGES[error.code] ?? '服务器开小差了，请稍后重试';
  }
  return '出了点问题，请稍后重试';
}
