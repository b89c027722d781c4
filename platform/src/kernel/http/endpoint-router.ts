import { tmpdir } from 'node:os';
import { unlink } from 'node:fs/promises';
import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import multer from 'multer';
import type { z } from 'zod';
import {
  ERROR_REASONS,
  SHOP_PREVIEW_HEADER,
  type Audience,
  type EndpointDef,
  type EndpointInput,
  type EndpointResponse,
  type ErrorIssue,
  type ErrorParamValue,
  type ErrorReason,
  type Reasoned,
} from '@shopfleet/contracts';
import type { Actor, RequestContext, TenantContext } from '../context';
import { AppError, ForbiddenError, UnauthenticatedError, ValidationError } from '../errors';
import { LazyLog, type Log } from '../logger';

export type Surface = 'platform' | 'merchant' | 'shop';

export interface UploadedFile {
  /** The bytes, for an upload held in memory (empty for one kept on disk). */
  buffer: Buffer;
  /** The temporary file that holds the bytes, for an upload kept on disk (`upload.onDisk`); removed once answered. */
  path: string | null;
  size: number;
  originalName: string;
  declaredType: string;
}

export type HandlerInput<E extends EndpointDef> = EndpointInput<E> & { file?: UploadedFile };

/**
 * The context a handler receives: bound to its shop wherever the endpoint has one — a merchant's or a
 * shopper's sign-in, or a shop named in the path — so no handler narrows it by hand.
 */
export type ContextOf<E extends EndpointDef> = E['access'] extends { audience: 'merchant' | 'shopper' }
  ? TenantContext
  : EndpointInput<E>['params'] extends { shopKey: string }
    ? TenantContext
    : RequestContext;

export type Handler<E extends EndpointDef> = (
  ctx: ContextOf<E>,
  input: HandlerInput<E>,
  res: Response,
) => Promise<EndpointResponse<E>>;

export type Handlers<T extends Record<string, EndpointDef>> = { [K in keyof T]: Handler<T[K]> };

export interface ResolvedShop {
  id: number;
  status: string;
  /** Admitted by the merchant's preview pass (a shop not open to the public): the answer must not be cached publicly. */
  preview: boolean;
}

/** What the route layer needs from the rest of the platform; injected so the kernel knows no module. */
export interface RouteDeps {
  authenticate(audience: Audience, token: string): Promise<Actor>;
  /** The shop a shop-api path names, if this request may use it (the shop's state, the preview pass it carries, a read or not). */
  resolveShop(shopKey: string, access: { pass: string | null; read: boolean }): Promise<ResolvedShop>;
}

declare module 'express-serve-static-core' {
  interface Request {
    ctx?: RequestContext;
    log: Log;
    id: string | number | object;
  }
}

const AUDIENCE_OF: Record<Surface, Audience> = { platform: 'platform', merchant: 'merchant', shop: 'shopper' };

/**
 * Builds the router of one API surface from its endpoint table. Each route: authenticate and check the
 * endpoint's declared permission → parse the path params (and, on the shop surface, check a shopper's
 * sign-in belongs to the shop they name) → parse query and body strictly, then the headers it declares →
 * call the handler with the request context → send its result. An endpoint with no access declared,
 * with no handler, or declaring a header name that is not lower case, stops the boot.
 */
export function endpointRouter<T extends Record<string, EndpointDef>>(
  surface: Surface,
  endpoints: T,
  handlers: Handlers<T>,
  deps: RouteDeps,
): Router {
  // One router per method: a request is matched only against the paths of its own method (the router tries each path
  // in turn, and a surface has dozens), HEAD against GET's as express does.
  const byMethod = new Map<string, Router>();
  const routerOf = (method: string) => {
    let r = byMethod.get(method);
    if (!r) byMethod.set(method, (r = Router()));
    return r;
  };
  for (const [name, def] of Object.entries(endpoints)) {
    const handler = handlers[name as keyof T];
    if (!def.access) throw new Error(`endpoint ${surface}.${name} declares no access`);
    if (typeof handler !== 'function') throw new Error(`endpoint ${surface}.${name} has no handler`);
    if (def.access.kind !== 'public' && def.access.audience !== AUDIENCE_OF[surface]) {
      throw new Error(
        `endpoint ${surface}.${name} declares access for ${def.access.audience} on the ${surface} surface`,
      );
    }
    const badHeader = Object.keys(def.headers?.shape ?? {}).find((header) => header !== header.toLowerCase());
    if (badHeader)
      throw new Error(
        `endpoint ${surface}.${name} declares the header ${badHeader}: header names are declared in lower case`,
      );
    // Who is calling comes first: a caller without access learns nothing about the input rules.
    const chain: RequestHandler[] = [
      async (req, res, next) => {
        res.locals.routeTemplate = `${req.baseUrl}${def.path}`;
        const { ctx, params, preview } = await buildContext(surface, def, req, deps);
        req.ctx = ctx;
        res.locals.params = params;
        if (preview) {
          // What a preview pass lets through is not public: no cache keeps it, whatever the handler says.
          res.locals.shopPreview = true;
          res.setHeader('Cache-Control', 'private, no-store');
        }
        if (ctx.tenantId) res.locals.tenantId = ctx.tenantId;
        next();
      },
    ];
    if (def.upload) chain.push(uploadMiddleware(def.upload.field, def.upload.maxBytes, def.upload.onDisk ?? false));
    chain.push(async (req, res) => {
      const input = parseInput(def, req, res.locals.params as Record<string, unknown>);
      const result = await (handler as Handler<EndpointDef>)(req.ctx!, input as HandlerInput<EndpointDef>, res);
      if (res.headersSent) return;
      if (def.status === 204) res.status(204).end();
      else res.status(def.status ?? 200).json(result);
    });
    routerOf(def.method)[def.method](def.path, ...chain);
  }
  const router = Router();
  router.use((req, res, next) => {
    const method = req.method === 'HEAD' ? 'get' : req.method.toLowerCase();
    const r = byMethod.get(method);
    if (r) r(req, res, next);
    else next();
  });
  return router;
}

function parseInput(def: EndpointDef, req: Request, params: Record<string, unknown>): HandlerInput<EndpointDef> {
  const query = parsePart('query', def.query, req.query ?? {});
  const { body, file } = parseBody(def, req);
  const headers = parseHeaders(def.headers, req);
  return { params, query, body, headers, ...(file ? { file } : {}) } as HandlerInput<EndpointDef>;
}

function parseBody(def: EndpointDef, req: Request): { body: unknown; file?: UploadedFile } {
  if (def.upload) {
    const file = req.file;
    if (!file) {
      throw new ValidationError({
        reason: 'UPLOAD_FILE_REQUIRED',
        params: { field: def.upload.field },
        message: `a file in the form field "${def.upload.field}" is required`,
      });
    }
    if (req.body && Object.keys(req.body as object).length > 0) {
      throw new ValidationError(
        { reason: 'UPLOAD_UNEXPECTED_FIELDS', message: 'unexpected form fields' },
        { fields: Object.keys(req.body as object) },
      );
    }
    return {
      body: undefined,
      file: {
        buffer: file.buffer ?? Buffer.alloc(0),
        path: file.path ?? null,
        size: file.size,
        originalName: file.originalname,
        declaredType: file.mimetype,
      },
    };
  }
  if (def.body) {
    if (!req.is('application/json')) {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json', 415);
    }
    return { body: parsePart('body', def.body, req.body) };
  }
  if (hasContent(req.body) || (req.body === undefined && sentBody(req))) {
    // A JSON body is parsed (an empty object is no body); any other kind is left unparsed, and refused.
    throw new ValidationError({ reason: 'BODY_NOT_ALLOWED', message: 'this endpoint takes no body' });
  }
  return { body: undefined };
}

/**
 * The headers an endpoint declares, parsed by their schema; any other header is not looked at. A
 * header is not a field a person fills in: one that is missing or malformed is refused with its own
 * reason when its schema gives one (IDEMPOTENCY_KEY_REQUIRED), the issue naming it (`headers.<name>`).
 */
function parseHeaders(schema: z.ZodObject | undefined, req: Request): Record<string, unknown> {
  if (!schema) return {};
  const declared = Object.fromEntries(
    Object.keys(schema.shape).flatMap((name) => (req.headers[name] === undefined ? [] : [[name, req.headers[name]]])),
  );
  const parsed = schema.safeParse(declared);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => toIssue('headers', i));
  const reasoned = issues.find((i) => i.reason !== undefined);
  const text: Reasoned = reasoned
    ? ({ reason: reasoned.reason, params: reasoned.params, message: reasoned.message } as Reasoned)
    : { reason: 'INVALID_INPUT', message: 'invalid headers' };
  throw new ValidationError(text, { issues });
}

/** Whether the request carries body bytes (an empty `Content-Length: 0` body is none). */
function sentBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

function hasContent(body: unknown): boolean {
  if (body === undefined || body === null) return false;
  if (typeof body === 'object') return Object.keys(body as object).length > 0;
  return true;
}

function parsePart(part: 'params' | 'query' | 'body', schema: z.ZodType | undefined, value: unknown): unknown {
  if (!schema) {
    if (part !== 'body' && hasContent(value)) {
      const message = `unexpected ${part === 'query' ? 'query parameters' : 'path parameters'}`;
      throw new ValidationError({ reason: 'UNEXPECTED_PARAMETERS', message }, { fields: Object.keys(value as object) });
    }
    return {};
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new ValidationError(
      { reason: 'INVALID_INPUT', message: `invalid ${part}` },
      { issues: parsed.error.issues.map((i) => toIssue(part, i)) },
    );
  }
  return parsed.data;
}

/** The params of a schema issue a client needs to say it in its own words (never the input itself). */
const ISSUE_PARAMS = [
  'expected',
  'origin',
  'minimum',
  'maximum',
  'inclusive',
  'exact',
  'format',
  'divisor',
  'values',
  'keys',
] as const;

/** A zod issue as the client renders it: where, the issue code, its params, and zod's English as fallback. */
export function toIssue(part: string, i: z.core.$ZodIssue): ErrorIssue {
  const params: Record<string, ErrorParamValue> = {};
  const raw = i as unknown as Record<string, unknown>;
  for (const key of ISSUE_PARAMS) {
    const value = raw[key];
    if (typeof value === 'string' || typeof value === 'number') params[key] = value;
    else if (typeof value === 'bigint' || typeof value === 'boolean') params[key] = String(value);
    else if (Array.isArray(value)) params[key] = value.map(String).join(', ');
  }
  const custom = i.code === 'custom' ? (i.params as { reason?: unknown } | undefined)?.reason : undefined;
  // A refinement's own params (the limit it names), beside its reason.
  if (i.code === 'custom')
    for (const [key, value] of Object.entries((i.params ?? {}) as Record<string, unknown>))
      if (key !== 'reason' && (typeof value === 'string' || typeof value === 'number')) params[key] = value;
  return {
    path: [part, ...i.path.map(String)].join('.'),
    code: i.code,
    ...(typeof custom === 'string' && isReason(custom) ? { reason: custom } : {}),
    ...(Object.keys(params).length ? { params } : {}),
    message: i.message,
  };
}

function isReason(value: string): value is ErrorReason {
  return Object.hasOwn(ERROR_REASONS, value);
}

async function buildContext(
  surface: Surface,
  def: EndpointDef,
  req: Request,
  deps: RouteDeps,
): Promise<{ ctx: RequestContext; params: Record<string, unknown>; preview: boolean }> {
  const access = def.access;
  let actor: Actor = { type: 'anonymous' };
  if (access.kind !== 'public') {
    const token = bearerToken(req);
    if (!token) throw new UnauthenticatedError('UNAUTHENTICATED', 'Sign in first');
    actor = await deps.authenticate(access.audience, token);
  } else if (access.optional) {
    // Signed in if a token is sent (an expired one is refused, for the client to renew it), anonymous if none is.
    const token = bearerToken(req);
    if (token) actor = await deps.authenticate(access.optional, token);
  }
  // A permission depends on the caller alone: decided before any input is looked at.
  if (access.kind === 'permission') {
    const granted =
      actor.type === 'merchant' || actor.type === 'platform' ? (actor.permissions as readonly string[]) : [];
    if (!granted.includes(access.permission)) {
      throw new ForbiddenError({
        reason: 'PERMISSION_REQUIRED',
        params: { permission: access.permission },
        message: `Requires the permission ${access.permission}`,
      });
    }
  }
  // Only then the path: on the shop surface it names the shop, which a shopper's sign-in must belong to.
  const params = parsePart('params', def.params, req.params) as Record<string, unknown>;
  let tenantId: number | null = null;
  let preview = false;
  if (surface === 'shop' && typeof params.shopKey === 'string') {
    const pass = req.headers[SHOP_PREVIEW_HEADER.toLowerCase()];
    const shop = await deps.resolveShop(params.shopKey, {
      pass: typeof pass === 'string' && pass !== '' ? pass : null,
      read: req.method === 'GET' || req.method === 'HEAD',
    });
    tenantId = shop.id;
    preview = shop.preview;
  }
  if (actor.type === 'merchant') tenantId = actor.tenantId;
  if (actor.type === 'shopper' && actor.tenantId !== tenantId) {
    throw new ForbiddenError('This sign-in belongs to another shop', 'WRONG_SHOP');
  }
  // What `ContextOf` promises the handler: a merchant's or shopper's endpoint, or one naming a shop, has its tenant.
  const bound =
    (access.kind !== 'public' && (access.audience === 'merchant' || access.audience === 'shopper')) ||
    typeof params.shopKey === 'string';
  if (bound && tenantId === null)
    throw new Error(`endpoint ${def.method.toUpperCase()} ${def.path} has no tenant for its ${actor.type} caller`);
  // The context's logger carries the tenant; made on first use, as most requests never log.
  const log = tenantId ? new LazyLog(req.log, { tenantId }) : req.log;
  const ctx: RequestContext = { requestId: String(req.id), tenantId, actor, log, ip: req.ip };
  return { ctx, params, preview };
}

export function bearerToken(req: Request): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(header);
  if (!match) throw new UnauthenticatedError('TOKEN_INVALID', 'Malformed Authorization header');
  return match[1]!;
}

function uploadMiddleware(field: string, maxBytes: number, onDisk: boolean): RequestHandler {
  const upload = multer({
    // On disk: multer streams the part into a temporary file (and removes it when the size limit cuts it off).
    storage: onDisk ? multer.diskStorage({ destination: tmpdir() }) : multer.memoryStorage(),
    limits: { fileSize: maxBytes, files: 1, fields: 0, parts: 2 },
  }).single(field);
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.is('multipart/form-data')) {
      next(new AppError('UNSUPPORTED_MEDIA_TYPE', `send multipart/form-data with a "${field}" file`, 415));
      return;
    }
    // The temporary file goes once the request is answered, however it ended.
    if (onDisk)
      res.once('close', () => {
        if (req.file?.path) void unlink(req.file.path).catch(() => undefined);
      });
    upload(req, res, (err: unknown) => {
      if (!err) return next();
      if (err instanceof multer.MulterError) {
        if (err.code === 'LIMIT_FILE_SIZE') {
          const maxMb = Math.round((maxBytes / 1024 / 1024) * 10) / 10;
          return next(
            new AppError(
              'PAYLOAD_TOO_LARGE',
              { reason: 'FILE_TOO_LARGE', params: { maxMb }, message: `the file is larger than ${maxBytes} bytes` },
              413,
            ),
          );
        }
        return next(
          new ValidationError(
            { reason: 'UPLOAD_MALFORMED', message: `bad upload: ${err.message}` },
            { reason: err.code, field: err.field },
          ),
        );
      }
      next(new ValidationError({ reason: 'UPLOAD_MALFORMED', message: 'malformed multipart body' }));
    });
  };
}

/**
 * Sends JSON text that is already serialized (from a cache) and returns nothing the router would send
 * again. `maxAge` sets a public Cache-Control for shop reads that may be cached by URL.
 */
export function sendJsonText(res: Response, text: string, maxAgeSeconds?: number): never {
  res.status(200).type('application/json');
  if (maxAgeSeconds !== undefined) cacheForShoppers(res, maxAgeSeconds);
  res.send(text);
  return undefined as never;
}

/**
 * A shop read anyone may cache by URL for a while; but not what a preview pass let through (a shop not
 * open to the public), which no cache may keep.
 */
export function cacheForShoppers(res: Response, maxAgeSeconds: number): void {
  res.setHeader('Cache-Control', res.locals.shopPreview ? 'private, no-store' : `public, max-age=${maxAgeSeconds}`);
}
