import { HttpRequest } from '@smithy/core/protocols';
import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';
import { S3Gate, type S3Request } from './s3-gate';

const KEY = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const NOW = new Date('2026-12-05T10:00:00Z');
const gate = new S3Gate({ ...KEY, region: 'us-east-1', privateBuckets: new Set(['private']), now: () => NOW });
const signer = (secretAccessKey = KEY.secretAccessKey, region = 'us-east-1') =>
  new SignatureV4({
    credentials: { accessKeyId: KEY.accessKeyId, secretAccessKey },
    region,
    service: 's3',
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: false,
  });

const target = (req: { path: string; query?: Record<string, string | string[] | null> }) => {
  const query = new URLSearchParams(
    Object.entries(req.query ?? {}).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v ?? '']])),
  )
    .toString()
    .replace(/\+/g, '%20');
  return query ? `${req.path}?${query}` : req.path;
};

/** A URL presigned the way the SDK's presigner does it (the payload marked unsigned, hoisted to the query). */
async function presigned(opts: {
  at: Date;
  expiresIn: number;
  secret?: string;
  region?: string;
  path?: string;
}): Promise<S3Request> {
  const signed = await signer(opts.secret, opts.region).presign(
    new HttpRequest({
      method: 'GET',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 4568,
      path: opts.path ?? '/private/tenants/1/a%20b.pdf',
      headers: { host: '127.0.0.1:4568', 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' },
    }),
    { signingDate: opts.at, expiresIn: opts.expiresIn },
  );
  return {
    method: 'GET',
    url: target({ path: signed.path, query: signed.query as Record<string, string> }),
    headers: { host: '127.0.0.1:4568' },
  };
}

/** A call signed in its headers, as the SDK's client sends every request. */
async function headerSigned(opts: {
  at: Date;
  method?: string;
  path?: string;
  query?: Record<string, string>;
}): Promise<S3Request> {
  const signed = await signer().sign(
    new HttpRequest({
      method: opts.method ?? 'PUT',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 4568,
      path: opts.path ?? '/private/tenants/1/a.pdf',
      query: opts.query ?? {},
      headers: {
        host: '127.0.0.1:4568',
        'content-type': 'application/pdf',
        'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
      },
    }),
    { signingDate: opts.at },
  );
  return {
    method: opts.method ?? 'PUT',
    url: target({ path: signed.path, query: opts.query }),
    headers: signed.headers,
  };
}

const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);

describe('S3Gate', () => {
  it('lets a genuine presigned URL through until it expires, and not a second after', async () => {
    expect((await gate.judge(await presigned({ at: minutes(-4), expiresIn: 300 }))).allow).toBe(true);
    expect(await gate.judge(await presigned({ at: minutes(-5), expiresIn: 299 }))).toMatchObject({
      allow: false,
      code: 'AccessDenied',
      message: 'Request has expired',
    });
  });

  it('refuses a presigned URL dated well in the future, signed with another secret or for another region', async () => {
    expect(await gate.judge(await presigned({ at: minutes(20), expiresIn: 300 }))).toMatchObject({
      allow: false,
      status: 403,
    });
    expect(await gate.judge(await presigned({ at: NOW, expiresIn: 300, secret: 'guessed' }))).toMatchObject({
      allow: false,
      code: 'SignatureDoesNotMatch',
    });
    expect(await gate.judge(await presigned({ at: NOW, expiresIn: 300, region: 'cn-north-1' }))).toMatchObject({
      allow: false,
      status: 400,
    });
  });

  it('lets a genuine header-signed call through within 15 minutes of our clock, query and all', async () => {
    expect((await gate.judge(await headerSigned({ at: minutes(-14) }))).allow).toBe(true);
    expect((await gate.judge(await headerSigned({ at: NOW, method: 'POST', query: { uploads: '' } }))).allow).toBe(
      true,
    );
    expect(await gate.judge(await headerSigned({ at: minutes(-16) }))).toMatchObject({
      allow: false,
      code: 'RequestTimeTooSkewed',
    });
  });

  it('refuses a header-signed call whose signed parts were changed on the way', async () => {
    const req = await headerSigned({ at: NOW });
    expect(await gate.judge({ ...req, url: '/private/tenants/2/a.pdf' })).toMatchObject({
      allow: false,
      code: 'SignatureDoesNotMatch',
    });
    expect(await gate.judge({ ...req, headers: { ...req.headers, 'content-type': 'text/html' } })).toMatchObject({
      allow: false,
      code: 'SignatureDoesNotMatch',
    });
  });
});
