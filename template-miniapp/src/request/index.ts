import type { ErrorBody, TokenPair } from '@shopfleet/contracts';
import { API_ROOTS } from '@shopfleet/contracts/constants';
import { ApiError } from './api-error';
import { withPreviewPass } from '../platform/preview';
import { resolveShopContext, type ShopContext } from '../platform/shop-context';
import { clearSession, getTokens, setTokens } from '../stores/session';

export { ApiError, describeError } from './api-error';
export type { ApiErrorCode } from './api-error';

/** What uni.request sends on every platform (wx.request has no PATCH, so the API uses none). */
type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

type QueryValue = string | number | undefined;
export type QueryParams = Record<string, QueryValue | readonly QueryValue[]>;

export interface ShopRequest {
  method: Method;
  /** Path under `/shops/:shopKey`, e.g. `/me`; '' for the shop itself. */
  path: string;
  /** Query parameters; an array repeats the name (`facet=a:1&facet=b:2`), undefined and '' are left out. */
  query?: QueryParams;
  body?: Record<string, unknown>;
  /** Send the shopper's access token, refreshing it once when it has expired. */
  auth?: boolean;
  /** Extra request headers, e.g. `Idempotency-Key`. */
  headers?: Record<string, string>;
}

export interface ShopUpload {
  /** Path under `/shops/:shopKey`, e.g. `/review-images`. */
  path: string;
  /** A local file path from uni.chooseImage (a blob: URL on h5). */
  filePath: string;
  /** The multipart field of the file. */
  field: string;
  auth?: boolean;
}

const TIMEOUT_MS = 15_000;
const UPLOAD_TIMEOUT_MS = 60_000;
function shopUrl(context: ShopContext, path: string): string {
  return `${context.apiBase}${API_ROOTS.shop}/shops/${encodeURIComponent(context.shopKey)}${path}`;
}

// Built by hand: URLSearchParams is missing in some mini-program runtimes, and uni.request's `data`
// cannot repeat a parameter.
function queryString(query: QueryParams | undefined): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [name, raw] of Object.entries(query)) {
    const values: readonly QueryValue[] = Array.isArray(raw) ? raw : [raw as QueryValue];
    for (const value of values) {
      if (value === undefined || value === '') continue;
      parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
    }
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

function toApiError(status: number, data: unknown): ApiError {
  const error = (data as Partial<ErrorBody> | null)?.error;
  if (error && typeof error.code === 'string') {
    return new ApiError(error.code, error.message ?? '', status, error.details, error.requestId, {
      reason: error.reason,
      params: error.params,
    });
  }
  return new ApiError('BAD_RESPONSE', `HTTP ${status}`, status);
}

function send<T>(
  method: Method,
  url: string,
  body: Record<string, unknown> | undefined,
  accessToken?: string,
  headers?: Record<string, string>,
): Promise<T> {
  const header: Record<string, string> = { Accept: 'application/json', ...headers };
  if (body !== undefined) header['Content-Type'] = 'application/json';
  if (accessToken) header.Authorization = `Bearer ${accessToken}`;
  return new Promise<T>((resolve, reject) => {
    uni.request({
      url,
      method,
      data: body,
      header,
      dataType: 'json',
      timeout: TIMEOUT_MS,
      success(res) {
        const { statusCode, data } = res;
        if (statusCode >= 200 && statusCode < 300) {
          if (data === null || typeof data !== 'object') reject(new ApiError('BAD_RESPONSE', 'not JSON', statusCode));
          else resolve(data as T);
        } else {
          reject(toApiError(statusCode, data));
        }
      },
      fail(err) {
        reject(new ApiError('NETWORK_ERROR', err.errMsg || 'request failed'));
      },
    });
  });
}

function sendUpload<T>(url: string, upload: ShopUpload, accessToken?: string): Promise<T> {
  const header: Record<string, string> = { Accept: 'application/json' };
  if (accessToken) header.Authorization = `Bearer ${accessToken}`;
  return new Promise<T>((resolve, reject) => {
    uni.uploadFile({
      url,
      filePath: upload.filePath,
      name: upload.field,
      header,
      timeout: UPLOAD_TIMEOUT_MS,
      success(res) {
        let data: unknown = null;
        try {
          data = typeof res.data === 'string' ? JSON.parse(res.data) : res.data;
        } catch {
          data = null;
        }
        if (res.statusCode >= 200 && res.statusCode < 300) {
          if (data === null || typeof data !== 'object')
            reject(new ApiError('BAD_RESPONSE', 'not JSON', res.statusCode));
          else resolve(data as T);
        } else {
          reject(toApiError(res.statusCode, data));
        }
      },
      fail(err) {
        reject(new ApiError('NETWORK_ERROR', err.errMsg || 'upload failed'));
      },
    });
  });
}

let refreshing: Promise<TokenPair> | null = null;

/**
 * Rotates the refresh token. Single-flight: refresh tokens are single-use, so concurrent callers
 * share one request, and a caller whose token was already replaced just takes the new pair.
 */
function refreshTokens(context: ShopContext, stale: TokenPair): Promise<TokenPair> {
  const current = getTokens();
  if (!current) return Promise.reject(new ApiError('UNAUTHENTICATED', 'signed out', 401));
  if (current.accessToken !== stale.accessToken) return Promise.resolve(current);
  if (!refreshing) {
    refreshing = send<TokenPair>('POST', shopUrl(context, '/auth/refresh'), { refreshToken: current.refreshToken })
      .then((pair) => {
        // A sign-out while refreshing wins: do not resurrect the session.
        if (getTokens()?.refreshToken === current.refreshToken) setTokens(pair);
        return pair;
      })
      .catch((error: unknown) => {
        // The server refused the refresh token: the session is over. A network failure or rate limit keeps it for a retry.
        if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 429) {
          if (getTokens()?.refreshToken === current.refreshToken) clearSession();
          throw new ApiError('TOKEN_INVALID', error.message, error.status, error.details, error.requestId);
        }
        throw error;
      })
      .finally(() => {
        refreshing = null;
      });
  }
  return refreshing;
}

/**
 * Runs `call` with the shopper's access token; on an expired token refreshes once and runs it again.
 * Any other 401 ends the session.
 */
async function withShopper<T>(context: ShopContext, call: (accessToken: string) => Promise<T>): Promise<T> {
  const tokens = getTokens();
  if (!tokens) throw new ApiError('UNAUTHENTICATED', 'not signed in', 401);
  try {
    return await call(tokens.accessToken);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    if (error.code !== 'TOKEN_EXPIRED') {
      if (getTokens()?.accessToken === tokens.accessToken) clearSession();
      throw error;
    }
  }
  const fresh = await refreshTokens(context, tokens);
  try {
    return await call(fresh.accessToken);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401 && getTokens()?.accessToken === fresh.accessToken) {
      clearSession();
    }
    throw error;
  }
}

/** The one way the app talks to the shop API: binds the shop and the token, maps every failure to ApiError. */
export async function shopRequest<T>(req: ShopRequest): Promise<T> {
  const context = resolveShopContext();
  const url = shopUrl(context, req.path) + queryString(req.query);
  // The preview pass opens reads only; the server ignores it on anything else.
  const headers = req.method === 'GET' ? await withPreviewPass(req.headers) : req.headers;
  if (!req.auth) return send<T>(req.method, url, req.body, undefined, headers);
  return withShopper(context, (token) => send<T>(req.method, url, req.body, token, headers));
}

/** A multipart upload of one local file (uni.uploadFile), with the same shop binding, token and errors. */
export async function shopUpload<T>(upload: ShopUpload): Promise<T> {
  const context = resolveShopContext();
  const url = shopUrl(context, upload.path);
  if (!upload.auth) return sendUpload<T>(url, upload);
  return withShopper(context, (token) => sendUpload<T>(url, upload, token));
}
