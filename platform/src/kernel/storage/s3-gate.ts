import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { HttpRequest } from '@smithy/core/protocols';
import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';

/** What the embedded object store lets through, decided before s3rver sees the request. */
export interface S3GateOptions {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** Buckets read only with a valid signature, and never listed. */
  privateBuckets: ReadonlySet<string>;
  now?: () => Date;
}

export interface S3Request {
  method: string;
  /** The request target exactly as received: raw path and query. */
  url: string;
  headers: IncomingHttpHeaders;
}

export type S3GateDecision =
  { allow: true; bucket: string; key: string } | { allow: false; status: number; code: string; message: string };

const ALGORITHM = 'AWS4-HMAC-SHA256';
const SERVICE = 's3';
const MAX_PRESIGNED_SECONDS = 604_800;
/** How far a header-signed request's clock, or a presigned URL's start, may be from ours (as S3 allows). */
const MAX_SKEW_MS = 15 * 60_000;
const PAYLOAD_HASH = 'x-amz-content-sha256';
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const AUTH_HEADER =
  /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;
/** Any of these makes s3rver treat a request as signed, so every one of them must be verified here. */
const SIGNATURE_QUERY_PARAMS = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Signature',
  'Signature',
  'AWSAccessKeyId',
];

/**
 * Decides whether a request may reach the embedded object store. s3rver takes any Signature V4 as
 * valid (it never computes one), so this gate verifies each signature with the platform's key, by
 * signing the same request again with the AWS SDK's own signer and comparing:
 * - anonymous callers may only read (GET/HEAD) an object of a public bucket;
 * - a presigned URL must be genuine and unexpired (X-Amz-Date + X-Amz-Expires);
 * - a header-signed request (our S3 client) must be genuine and within 15 minutes of our clock;
 * - a private bucket never lists, whoever asks.
 */
export class S3Gate {
  private readonly signer: SignatureV4;
  private readonly now: () => Date;

  constructor(private readonly opts: S3GateOptions) {
    this.signer = new SignatureV4({
      credentials: { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey },
      region: opts.region,
      service: SERVICE,
      sha256: Hash.bind(null, 'sha256'),
      // S3 signs the path as sent, without the second round of escaping other services use.
      uriEscapePath: false,
    });
    this.now = opts.now ?? (() => new Date());
  }

  async judge(req: S3Request): Promise<S3GateDecision> {
    const target = parseTarget(req.url);
    if (!target) return refuse(400, 'InvalidURI', "Couldn't parse the specified URI.");
    const { bucket, key, path, query } = target;
    const method = req.method.toUpperCase();
    const headerSigned = req.headers.authorization !== undefined;
    const querySigned = SIGNATURE_QUERY_PARAMS.some((name) => name in query);
    if (headerSigned && querySigned) return refuse(400, 'InvalidArgument', 'Only one auth mechanism allowed');

    if (this.opts.privateBuckets.has(bucket) && key === '' && method === 'GET') {
      return refuse(403, 'AccessDenied', 'This bucket is never listed');
    }
    if (!headerSigned && !querySigned) {
      const publicRead =
        (method === 'GET' || method === 'HEAD') && bucket !== '' && key !== '' && !this.opts.privateBuckets.has(bucket);
      return publicRead ? { allow: true, bucket, key } : refuse(403, 'AccessDenied', 'Access Denied');
    }
    const denied = headerSigned
      ? await this.verifyHeader(method, path, query, req.headers)
      : await this.verifyQuery(method, path, query, req.headers);
    return denied ?? { allow: true, bucket, key };
  }

  /** A presigned URL: signed over the path, its query and the headers it names, valid until it expires. */
  private async verifyQuery(
    method: string,
    path: string,
    query: Query,
    headers: IncomingHttpHeaders,
  ): Promise<S3GateDecision | null> {
    const one = (name: string) => (typeof query[name] === 'string' ? (query[name] as string) : undefined);
    if ('Signature' in query || 'AWSAccessKeyId' in query)
      return refuse(403, 'AccessDenied', 'Only Signature Version 4 is accepted');
    const [algorithm, credential, amzDate, expires, signedHeaders, signature] = [
      one('X-Amz-Algorithm'),
      one('X-Amz-Credential'),
      one('X-Amz-Date'),
      one('X-Amz-Expires'),
      one('X-Amz-SignedHeaders'),
      one('X-Amz-Signature'),
    ];
    if (algorithm !== ALGORITHM || !credential || !amzDate || !expires || !signedHeaders || !signature) {
      return refuse(
        400,
        'AuthorizationQueryParametersError',
        'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders and X-Amz-Expires parameters',
      );
    }
    const signingDate = parseAmzDate(amzDate);
    const seconds = /^\d{1,6}$/.test(expires) ? Number(expires) : NaN;
    if (!signingDate || !(seconds >= 1 && seconds <= MAX_PRESIGNED_SECONDS)) {
      return refuse(400, 'AuthorizationQueryParametersError', 'X-Amz-Date or X-Amz-Expires is malformed');
    }
    const scopeError = this.checkScope(credential, amzDate);
    if (scopeError) return scopeError;
    const now = this.now().getTime();
    if (now > signingDate.getTime() + seconds * 1000) return refuse(403, 'AccessDenied', 'Request has expired');
    if (signingDate.getTime() - now > MAX_SKEW_MS) return refuse(403, 'AccessDenied', 'Request is not yet valid');

    const names = signedHeaders.split(';');
    const signed = pickHeaders(headers, names);
    if (!signed || !names.includes('host')) return mismatch();
    const unsigned = new Set<string>();
    // A presigned request's payload is never hashed: the signer reads that from the header we give it,
    // kept out of both the query and the signed headers unless the URL named it.
    const payloadHeader: Record<string, string> = {};
    if (!names.includes(PAYLOAD_HASH)) {
      payloadHeader[PAYLOAD_HASH] = one('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD';
      unsigned.add(PAYLOAD_HASH);
    }
    const { [`X-Amz-Signature`]: _provided, ...rest } = query;
    const resigned = await this.signer.presign(
      new HttpRequest({
        method,
        protocol: 'http:',
        hostname: 'localhost',
        path,
        query: rest,
        headers: { ...signed, ...payloadHeader },
      }),
      {
        signingDate,
        expiresIn: seconds,
        signableHeaders: new Set(names),
        unsignableHeaders: unsigned,
        unhoistableHeaders: new Set([...names.filter((n) => n.startsWith('x-amz-')), PAYLOAD_HASH]),
      },
    );
    return sameSignature(String(resigned.query?.['X-Amz-Signature']), signature) ? null : mismatch();
  }

  /** A request signed in its Authorization header, as the AWS SDK signs every call of ours. */
  private async verifyHeader(
    method: string,
    path: string,
    query: Query,
    headers: IncomingHttpHeaders,
  ): Promise<S3GateDecision | null> {
    const match = AUTH_HEADER.exec(String(headers.authorization));
    const amzDate = headers['x-amz-date'];
    if (!match || typeof amzDate !== 'string')
      return refuse(400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed');
    const [, credential, signedHeaders, signature] = match as unknown as [string, string, string, string];
    const signingDate = parseAmzDate(amzDate);
    if (!signingDate) return refuse(403, 'AccessDenied', 'AWS authentication requires a valid x-amz-date header');
    const scopeError = this.checkScope(credential, amzDate);
    if (scopeError) return scopeError;
    if (Math.abs(this.now().getTime() - signingDate.getTime()) > MAX_SKEW_MS) {
      return refuse(
        403,
        'RequestTimeTooSkewed',
        'The difference between the request time and the current time is too large.',
      );
    }
    const names = signedHeaders.split(';');
    const signed = pickHeaders(headers, names);
    if (!signed || !names.includes('host') || !names.includes('x-amz-date') || !names.includes(PAYLOAD_HASH))
      return mismatch();
    const resigned = await this.signer.sign(
      new HttpRequest({ method, protocol: 'http:', hostname: 'localhost', path, query, headers: signed }),
      {
        signingDate,
        signableHeaders: new Set(names),
      },
    );
    const again = /Signature=([0-9a-f]{64})$/.exec(String(resigned.headers.authorization))?.[1];
    return again && sameSignature(again, signature) ? null : mismatch();
  }

  /** The credential scope must name our key, the signing day, our region and S3. */
  private checkScope(credential: string, amzDate: string): S3GateDecision | null {
    const [accessKeyId, day, region, service, terminator, ...extra] = credential.split('/');
    if (accessKeyId !== this.opts.accessKeyId)
      return refuse(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
    if (
      extra.length ||
      day !== amzDate.slice(0, 8) ||
      region !== this.opts.region ||
      service !== SERVICE ||
      terminator !== 'aws4_request'
    ) {
      return refuse(400, 'AuthorizationHeaderMalformed', 'The credential scope is malformed or names another region');
    }
    return null;
  }
}

type Query = Record<string, string | string[]>;

function parseTarget(url: string): { bucket: string; key: string; path: string; query: Query } | null {
  const at = url.indexOf('?');
  const path = at < 0 ? url : url.slice(0, at);
  if (!path.startsWith('/')) return null;
  const query: Query = {};
  for (const [name, value] of new URLSearchParams(at < 0 ? '' : url.slice(at + 1))) {
    const seen = query[name];
    query[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  try {
    const [, bucket = '', ...key] = path.split('/');
    return { bucket: decodeURIComponent(bucket), key: decodeURIComponent(key.join('/')), path, query };
  } catch {
    return null;
  }
}

function parseAmzDate(value: string): Date | null {
  const m = AMZ_DATE.exec(value);
  if (!m) return null;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** The named headers as received; null when one of them is missing. */
function pickHeaders(headers: IncomingHttpHeaders, names: string[]): Record<string, string> | null {
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = headers[name];
    if (value === undefined) return null;
    picked[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return picked;
}

function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function refuse(status: number, code: string, message: string): S3GateDecision {
  return { allow: false, status, code, message };
}

function mismatch(): S3GateDecision {
  return refuse(
    403,
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided.',
  );
}
