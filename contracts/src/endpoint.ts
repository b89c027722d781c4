import type { z } from 'zod';
import type { Audience } from './auth';
import type { MerchantPermission, PlatformPermission } from './permissions';

/**
 * Who may call an endpoint. Every endpoint declares one; the server refuses to boot a route without it.
 * - public: anyone (shop-api reads are still scoped to the shop in the path); with `optional`, a caller who sends a
 *   token of that audience is signed in (and must belong to the shop), one who sends none is anonymous;
 * - signedIn: any valid token of the audience;
 * - permission: a token of the audience whose role grants the permission.
 */
export type Access =
  | { kind: 'public'; optional?: 'shopper' }
  | { kind: 'signedIn'; audience: Audience }
  | { kind: 'permission'; audience: 'merchant'; permission: MerchantPermission }
  | { kind: 'permission'; audience: 'platform'; permission: PlatformPermission };

// Each helper keeps its literal type, so that a handler's context is typed by its endpoint's access.
export const publicAccess = { kind: 'public' } as const satisfies Access;
/** Anyone; a shopper who sends a token is known (what they see may be theirs), one who sends none is anonymous. */
export const optionalSignIn = (audience: 'shopper') =>
  ({ kind: 'public', optional: audience }) as const satisfies Access;
export const signedIn = <A extends Audience>(audience: A): { kind: 'signedIn'; audience: A } => ({
  kind: 'signedIn',
  audience,
});
export const merchantCan = (permission: MerchantPermission) =>
  ({ kind: 'permission', audience: 'merchant', permission }) as const satisfies Access;
export const platformCan = (permission: PlatformPermission) =>
  ({ kind: 'permission', audience: 'platform', permission }) as const satisfies Access;

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface EndpointDef<
  P extends z.ZodType | undefined = z.ZodType | undefined,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
  R extends z.ZodType = z.ZodType,
  A extends Access = Access,
  H extends z.ZodObject | undefined = z.ZodObject | undefined,
> {
  method: HttpMethod;
  /** Express-style path below the API root, e.g. `/shops/:shopKey/me`. */
  path: string;
  summary: string;
  tags: string[];
  access: A;
  params?: P;
  query?: Q;
  body?: B;
  /**
   * Request headers the endpoint reads, by lower-case name (as Node gives them). Only these are checked
   * and handed to the handler; any other header is let through.
   */
  headers?: H;
  /**
   * The body is multipart/form-data with one file field of this name (validated by the route), held in memory — or,
   * `onDisk`, streamed to a temporary file the handler reads as a stream (large files: memory stays bounded).
   */
  upload?: { field: string; maxBytes: number; onDisk?: boolean };
  response: R;
  /** HTTP status on success; 200 unless given. */
  status?: 200 | 201 | 204;
}

export function endpoint<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  R extends z.ZodType = z.ZodType,
  A extends Access = Access,
  H extends z.ZodObject | undefined = undefined,
>(def: EndpointDef<P, Q, B, R, A, H>): EndpointDef<P, Q, B, R, A, H> {
  return def;
}

type InferOr<T, Fallback> = [T] extends [z.ZodType] ? z.output<T> : Fallback;

/** The validated input a handler receives. */
export type EndpointInput<E> =
  E extends EndpointDef<infer P, infer Q, infer B, z.ZodType, Access, infer H>
    ? {
        params: InferOr<P, Record<string, never>>;
        query: InferOr<Q, Record<string, never>>;
        body: InferOr<B, undefined>;
        headers: InferOr<H, Record<string, never>>;
      }
    : never;

export type EndpointResponse<E extends EndpointDef> = z.infer<E['response']>;
