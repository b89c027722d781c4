/**
 * The console's one request client. It owns, for each audience:
 * - the API root and the bearer token (kept in localStorage per audience);
 * - refresh on an expired token: one refresh at a time (refresh tokens rotate, and re-using an old one
 *   revokes the whole family), shared by every request of the tab that sees the 401, and across tabs
 *   through a Web Lock plus a BroadcastChannel hand-off (see token-storage.ts); the failed request is
 *   replayed once;
 * - the end of a session: tokens cleared, and the app told so it can go to that audience's login;
 * - errors: every non-2xx answer becomes an ApiError with the server's stable code, reason and params,
 *   its message said in the reader's language (utils/error-text.ts: the reason's text, else the code's,
 *   the server's English only as the fallback), shown with ElMessage unless the caller asks for silence.
 * Pages never look at status codes or envelopes: they call typed functions from `api/<module>.ts`.
 */
import { ElMessage } from 'element-plus';
import type { ErrorCode, ErrorReason } from '@shopfleet/contracts';
import { translate, translator } from '@/locales';
import { errorText } from '@/utils/error-text';
import {
  isTokenPair,
  tokenStorage,
  type ConsoleAudience,
  type RotationOutcome,
  type TokenStorage,
} from '@/utils/token-storage';

export type { ConsoleAudience } from '@/utils/token-storage';

const API_ROOTS: Record<ConsoleAudience, string> = {
  merchant: '/merchant-api/v1',
  platform: '/platform-api/v1',
};

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue>;

/** `page` and `pageSize` of every list endpoint. */
export interface PageQuery {
  page: number;
  pageSize: number;
}

export interface RequestOptions {
  method?: HttpMethod;
  query?: Query;
  /** Sent as JSON, or as multipart/form-data when it is a FormData. */
  body?: unknown;
  /** Attach the audience's access token and refresh it when it has expired (default true). */
  auth?: boolean;
  /** Do not show the error with ElMessage; the caller shows it (default false). */
  silent?: boolean;
  signal?: AbortSignal;
  /** The Accept header (default application/json; a download takes any type). */
  accept?: string;
}

/** A file the server sent (an export): its bytes and the name from Content-Disposition, when given. */
export interface DownloadedFile {
  blob: Blob;
  fileName: string | null;
}

/** Codes the client itself produces when there is no server error body to read. */
export type ClientErrorCode = 'NETWORK_ERROR' | 'BAD_RESPONSE';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: ErrorCode | ClientErrorCode;
  /** Why, within the code (stable; branch on it, never on the message). */
  readonly reason: ErrorReason | undefined;
  readonly params: Record<string, string | number> | undefined;
  readonly details: unknown;
  readonly requestId: string | undefined;

  constructor(
    status: number,
    code: ErrorCode | ClientErrorCode,
    message: string,
    details?: unknown,
    requestId?: string,
    reason?: { reason?: ErrorReason; params?: Record<string, string | number> },
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
    this.requestId = requestId;
    this.reason = reason?.reason;
    this.params = reason?.params;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

interface ServerError {
  code: ErrorCode;
  reason?: ErrorReason;
  params?: Record<string, string | number>;
  message: string;
  details?: unknown;
  requestId?: string;
}

function readServerError(payload: unknown): ServerError | null {
  if (typeof payload !== 'object' || payload === null || !('error' in payload)) return null;
  const error: unknown = payload.error;
  if (typeof error !== 'object' || error === null) return null;
  const record = error as Record<string, unknown>;
  if (typeof record.code !== 'string' || typeof record.message !== 'string') return null;
  return {
    code: record.code as ErrorCode,
    reason: typeof record.reason === 'string' ? (record.reason as ErrorReason) : undefined,
    params:
      typeof record.params === 'object' && record.params !== null
        ? (record.params as Record<string, string | number>)
        : undefined,
    message: record.message,
    details: record.details,
    requestId: typeof record.requestId === 'string' ? record.requestId : undefined,
  };
}

function toApiError(response: Response, payload: unknown): ApiError {
  const server = readServerError(payload);
  if (server) {
    const message = errorText(translator, server);
    return new ApiError(response.status, server.code, message, server.details, server.requestId, {
      reason: server.reason,
      params: server.params,
    });
  }
  return new ApiError(response.status, 'BAD_RESPONSE', translate('errors.BAD_RESPONSE', { status: response.status }));
}

/** 401s that a fresh access token can cure; UNAUTHENTICATED etc. cannot. */
function isRefreshable(payload: unknown): boolean {
  const code = readServerError(payload)?.code;
  return code === 'TOKEN_EXPIRED' || code === 'TOKEN_INVALID';
}

function buildUrl(path: string, query: Query | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.append(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

async function readPayload(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The file name of a Content-Disposition header (`filename*=UTF-8''…` preferred over `filename="…"`). */
export function fileNameOf(disposition: string | null): string | null {
  if (!disposition) return null;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1].trim().replace(/^"|"$/g, ''));
    } catch {
      // Fall through to the plain parameter.
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/.exec(disposition);
  const name = plain?.[2] ?? plain?.[1];
  return name ? name.trim() : null;
}

async function readDownload(response: Response): Promise<DownloadedFile> {
  return { blob: await response.blob(), fileName: fileNameOf(response.headers.get('Content-Disposition')) };
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/** Run `task` while holding a browser-wide lock, so two tabs never spend the same refresh token. */
function withLock<T>(name: string, task: () => Promise<T>): Promise<T> {
  if (typeof navigator !== 'undefined' && 'locks' in navigator && navigator.locks) {
    // lib.dom types request() as Promise<ReturnType<callback>>; the lock resolves to the awaited value.
    return navigator.locks.request(name, task).then((result) => result);
  }
  return task();
}

/** Show an error the way every page shows errors. Cancelled requests are not errors. */
export function notifyError(error: unknown): void {
  if (isAbort(error)) return;
  const message = error instanceof Error && error.message ? error.message : translate('errors.INTERNAL');
  ElMessage({ type: 'error', message, grouping: true, showClose: true });
}

type SessionExpiredHandler = (audience: ConsoleAudience) => void;
let sessionExpiredHandler: SessionExpiredHandler = () => undefined;

/** The app decides what a lost session means (reset the store, go to the login page). */
export function onSessionExpired(handler: SessionExpiredHandler): void {
  sessionExpiredHandler = handler;
}

export interface RequestClient {
  readonly audience: ConsoleAudience;
  readonly tokens: TokenStorage;
  request<T>(path: string, options?: RequestOptions): Promise<T>;
  get<T>(path: string, query?: Query, options?: Omit<RequestOptions, 'method' | 'query' | 'body'>): Promise<T>;
  post<T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>): Promise<T>;
  put<T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>): Promise<T>;
  patch<T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>): Promise<T>;
  delete<T>(path: string, options?: Omit<RequestOptions, 'method' | 'body'>): Promise<T>;
  /** multipart/form-data with one file field. */
  upload<T>(path: string, field: string, file: Blob, options?: Omit<RequestOptions, 'method' | 'body'>): Promise<T>;
  /**
   * GET a file (an export) as a Blob, with the same token, refresh and error handling as every other
   * request; save it with `saveBlob` (utils/download.ts).
   */
  download(
    path: string,
    query?: Query,
    options?: Omit<RequestOptions, 'method' | 'query' | 'body'>,
  ): Promise<DownloadedFile>;
}

function createRequestClient(audience: ConsoleAudience): RequestClient {
  const root = API_ROOTS[audience];
  const tokens = tokenStorage(audience);
  /** The refresh in flight; every request of this tab that meets an expired token waits on this one. */
  let refreshing: Promise<string | null> | null = null;

  async function send(path: string, options: RequestOptions, accessToken: string | undefined): Promise<Response> {
    const headers = new Headers({ Accept: options.accept ?? 'application/json' });
    let body: BodyInit | undefined;
    if (options.body instanceof FormData) {
      body = options.body;
    } else if (options.body !== undefined) {
      headers.set('Content-Type', 'application/json');
      body = JSON.stringify(options.body);
    }
    if (accessToken) headers.set('Authorization', `Bearer ${accessToken}`);
    try {
      return await fetch(buildUrl(root + path, options.query), {
        method: options.method ?? 'GET',
        headers,
        body,
        signal: options.signal,
        credentials: 'same-origin',
      });
    } catch (error) {
      if (isAbort(error)) throw error;
      throw new ApiError(0, 'NETWORK_ERROR', translate('errors.NETWORK_ERROR'));
    }
  }

  /**
   * Swap the refresh token for a new pair; resolves to the access token to replay with, or null when
   * the session is over. `staleAccessToken` is the token the failed request carried: when the stored
   * one differs, another request has already refreshed; when another tab is rotating the same refresh
   * token, its outcome is awaited. Either way the refresh token is never presented twice.
   */
  async function rotate(staleAccessToken: string): Promise<string | null> {
    const current = tokens.read();
    if (!current) return null;
    if (current.accessToken !== staleAccessToken) return current.accessToken;

    const elsewhere = tokens.rotatedElsewhere(current.refreshToken);
    if (elsewhere) {
      const outcome = await elsewhere;
      if (outcome === 'refused') return null;
      if (outcome !== 'unknown') return outcome.accessToken;
      const latest = tokens.read();
      if (latest && latest.refreshToken !== current.refreshToken) return latest.accessToken;
      throw new ApiError(0, 'NETWORK_ERROR', translate('errors.NETWORK_ERROR'));
    }

    tokens.announceRotating(current.refreshToken);
    let outcome: RotationOutcome = 'unknown';
    try {
      const response = await send(
        '/auth/refresh',
        { method: 'POST', body: { refreshToken: current.refreshToken } },
        undefined,
      );
      const payload = await readPayload(response);
      if (response.ok && isTokenPair(payload)) {
        tokens.save(payload);
        outcome = payload;
        return payload.accessToken;
      }
      // Rate limits and server trouble say nothing about the session: keep the tokens, fail this request.
      if (response.status === 429 || response.status >= 500) throw toApiError(response, payload);
      outcome = 'refused';
      return null;
    } finally {
      tokens.announceRotated(current.refreshToken, outcome);
    }
  }

  function refresh(staleAccessToken: string): Promise<string | null> {
    refreshing ??= withLock(`shopfleet.console.refresh.${audience}`, () => rotate(staleAccessToken)).finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  function endSession(): void {
    tokens.clear();
    sessionExpiredHandler(audience);
  }

  function sessionExpiredError(): ApiError {
    return new ApiError(401, 'UNAUTHENTICATED', translate('errors.SESSION_EXPIRED'));
  }

  /**
   * Send, refresh once on an expired token, and turn a failure into an ApiError. A success is read
   * with `read` (JSON by default, a Blob for downloads); error bodies are always JSON.
   */
  async function execute<T>(
    path: string,
    options: RequestOptions,
    read: (response: Response) => Promise<unknown>,
  ): Promise<T> {
    const useAuth = options.auth ?? true;
    let accessToken: string | undefined;
    if (useAuth) {
      accessToken = tokens.read()?.accessToken;
      if (!accessToken) {
        endSession();
        throw sessionExpiredError();
      }
    }

    let response = await send(path, options, accessToken);

    if (useAuth && accessToken && response.status === 401 && isRefreshable(await readPayload(response.clone()))) {
      const renewed = await refresh(accessToken);
      if (!renewed) {
        endSession();
        throw sessionExpiredError();
      }
      accessToken = renewed;
      response = await send(path, options, accessToken);
    }

    if (response.ok) return (await read(response)) as T;
    const payload = await readPayload(response);
    if (useAuth && response.status === 401) {
      endSession();
      throw sessionExpiredError();
    }
    throw toApiError(response, payload);
  }

  async function request<T>(
    path: string,
    options: RequestOptions = {},
    read: (response: Response) => Promise<unknown> = readPayload,
  ): Promise<T> {
    try {
      return await execute<T>(path, options, read);
    } catch (error) {
      if (!options.silent) notifyError(error);
      throw error;
    }
  }

  return {
    audience,
    tokens,
    request,
    get: (path, query, options) => request(path, { ...options, method: 'GET', query }),
    post: (path, body, options) => request(path, { ...options, method: 'POST', body }),
    put: (path, body, options) => request(path, { ...options, method: 'PUT', body }),
    patch: (path, body, options) => request(path, { ...options, method: 'PATCH', body }),
    delete: (path, options) => request(path, { ...options, method: 'DELETE' }),
    upload: (path, field, file, options) => {
      const form = new FormData();
      form.append(field, file);
      return request(path, { ...options, method: 'POST', body: form });
    },
    download: (path, query, options) =>
      request<DownloadedFile>(path, { accept: '*/*', ...options, method: 'GET', query }, readDownload),
  };
}

/** `/merchant-api/v1`, with the merchant staff member's tokens. */
export const merchantHttp = createRequestClient('merchant');
/** `/platform-api/v1`, with the platform staff member's tokens. */
export const platformHttp = createRequestClient('platform');

export function httpFor(audience: ConsoleAudience): RequestClient {
  return audience === 'merchant' ? merchantHttp : platformHttp;
}
