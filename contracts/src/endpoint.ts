import type { z } from 'zod';
import type { Audience } from './auth';
import type { MerchantPermission, PlatformPermission } from './permissions';

/**
 * Who may call an endpoint. Every endpoint declares one; the server refuses to boot a route without it.
 * - public: anyone (shop-api reads are still scoped to the shop in the path);
 * - signedIn: any valid token of the audience;
 * - permission: a token of the audience whose role grants the permission.
 */
export type Access =
  | { kind: 'public' }
  | { kind: 'signedIn'; audience: Audience }
  | { kind: 'permission'; audience: 'merchant'; permission: MerchantPermission }
  | { kind: 'permission'; audience: 'platform'; permission: PlatformPermission };

export const publicAccess: Access = { kind: 'public' };
export const signedIn = (audience: Audience): Access => ({ kind: 'signedIn', audience });
export const merchantCan = (permission: MerchantPermission): Access => ({
  kind: 'permission',
  audience: 'merchant',
  permission,
});
export const platformCan = (permission: PlatformPermission): Access => ({
  kind: 'permission',
  audience: 'platform',
  permission,
});

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface EndpointDef<
  P extends z.ZodType | undefined = z.ZodType | undefined,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
  R extends z.ZodType = z.ZodType,
> {
  method: HttpMethod;
  /** Express-style path below the API root, e.g. `/shops/:shopKey/me`. */
  path: string;
  summary: string;
  tags: string[];
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  /** The body is multipart/form-data with one file field of this name (validated by the route). */
  upload?: { field: string; maxBytes: number };
  response: R;
  /** HTTP status on success; 200 unless given. */
  status?: 200 | 201 | 204;
}

export function endpoint<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  R extends z.ZodType = z.ZodType,
>(def: EndpointDef<P, Q, B, R>): EndpointDef<P, Q, B, R> {
  return def;
}

type InferOr<T, Fallback> = [T] extends [z.ZodType] ? z.output<T> : Fallback;

/** The validated input a handler receives. */
export type EndpointInput<E> =
  E extends EndpointDef<infer P, infer Q, infer B, z.ZodType>
    ? {
        params: InferOr<P, Record<string, never>>;
        query: InferOr<Q, Record<string, never>>;
        body: InferOr<B, undefined>;
      }
    : never;

export type EndpointResponse<E extends EndpointDef> = z.infer<E['response']>;
