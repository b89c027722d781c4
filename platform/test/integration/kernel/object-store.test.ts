import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { startTestPlatform, uid, type TestPlatform } from '../../helpers/test-platform';

// The embedded object store (s3rver behind the platform's gate), as `npm start` runs it without S3_ENDPOINT.
let t: TestPlatform;
let endpoint: string;
let privateBucket: string;
let publicBucket: string;
beforeAll(async () => {
  t = await startTestPlatform();
  endpoint = new URL(t.platform.storage.publicUrl('x')).origin;
  privateBucket = t.config.S3_BUCKET_PRIVATE;
  publicBucket = t.config.S3_BUCKET_PUBLIC;
});
afterAll(() => t.close());

/** An S3 client that knows the access key but signs with another secret. */
const forger = () =>
  new S3Client({
    endpoint,
    region: t.config.S3_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: t.config.S3_ACCESS_KEY_ID, secretAccessKey: 'not-the-secret' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });

async function privateObject(): Promise<string> {
  const key = `tenants/1/qualifications/${uid()}.pdf`;
  await t.platform.storage.put({ visibility: 'private', key, body: '%PDF-1.7 secret', contentType: 'application/pdf' });
  return key;
}

const withParam = (url: string, name: string, value: string) => {
  const u = new URL(url);
  u.searchParams.set(name, value);
  return u.toString();
};

describe('private objects are read only through a genuine, unexpired signed URL', () => {
  it('a genuine signed URL reads the object', async () => {
    const key = await privateObject();
    const res = await fetch(await t.platform.storage.signedGetUrl(key, 60));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('%PDF-1.7 secret');
  });

  it('a made-up signature is refused: zeros, a signature of another object, one made with another secret', async () => {
    const key = await privateObject();
    const genuine = await t.platform.storage.signedGetUrl(key, 60);
    const zeroed = await fetch(withParam(genuine, 'X-Amz-Signature', '0'.repeat(64)));
    expect(zeroed.status).toBe(403);
    expect(await zeroed.text()).toContain('SignatureDoesNotMatch');

    const other = await privateObject();
    const borrowed = new URL(genuine);
    borrowed.pathname = `/${privateBucket}/${other}`;
    expect((await fetch(borrowed)).status).toBe(403);

    const forged = await getSignedUrl(forger(), new GetObjectCommand({ Bucket: privateBucket, Key: key }), {
      expiresIn: 60,
    });
    expect((await fetch(forged)).status).toBe(403);
    // Stretching a genuine URL's life is a different request: its signature no longer matches.
    expect((await fetch(withParam(genuine, 'X-Amz-Expires', '604800'))).status).toBe(403);
  });

  it('an expired signed URL is refused', async () => {
    const key = await privateObject();
    const expired = await getSignedUrl(
      t.platform.storage.client,
      new GetObjectCommand({ Bucket: privateBucket, Key: key }),
      {
        expiresIn: 60,
        signingDate: new Date(Date.now() - 120_000),
      },
    );
    const res = await fetch(expired);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('expired');
  });

  it('an unsigned read is refused, and a header-signed call made with another secret too', async () => {
    const key = await privateObject();
    expect((await fetch(`${endpoint}/${privateBucket}/${key}`)).status).toBe(403);
    await expect(forger().send(new GetObjectCommand({ Bucket: privateBucket, Key: key }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 403 },
    });
    await expect(
      forger().send(new PutObjectCommand({ Bucket: privateBucket, Key: key, Body: 'overwritten' })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    expect((await t.platform.storage.getBuffer('private', key)).toString()).toBe('%PDF-1.7 secret');
  });

  it('the private bucket never lists: not anonymously, not with a made-up signature, not even signed with our key', async () => {
    await privateObject();
    expect((await fetch(`${endpoint}/${privateBucket}`)).status).toBe(403);
    expect((await fetch(`${endpoint}/${privateBucket}?list-type=2`)).status).toBe(403);
    const presignedList = await getSignedUrl(
      t.platform.storage.client,
      new ListObjectsV2Command({ Bucket: privateBucket }),
      { expiresIn: 60 },
    );
    expect((await fetch(presignedList)).status).toBe(403);
    expect((await fetch(withParam(presignedList, 'X-Amz-Signature', '0'.repeat(64)))).status).toBe(403);
    await expect(
      t.platform.storage.client.send(new ListObjectsV2Command({ Bucket: privateBucket })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
  });

  it('objects are served so that no browser sniffs or runs them', async () => {
    const key = await privateObject();
    const res = await fetch(await t.platform.storage.signedGetUrl(key, 60));
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toMatch(/^sandbox/);
  });
});

describe('the public bucket serves its objects by URL and nothing more', () => {
  it('anyone reads a public object by its URL', async () => {
    const key = `tenants/1/logo/${uid()}.png`;
    await t.platform.storage.put({ visibility: 'public', key, body: 'logo', contentType: 'image/png' });
    const res = await fetch(t.platform.storage.publicUrl(key));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('it does not list to anonymous callers, and takes no anonymous or forged writes', async () => {
    const key = `tenants/1/logo/${uid()}.png`;
    await t.platform.storage.put({ visibility: 'public', key, body: 'logo', contentType: 'image/png' });
    expect((await fetch(`${endpoint}/${publicBucket}`)).status).toBe(403);
    expect((await fetch(`${endpoint}/${publicBucket}?list-type=2&prefix=tenants/`)).status).toBe(403);
    expect((await fetch(`${endpoint}/`)).status).toBe(403);
    expect(
      (await fetch(t.platform.storage.publicUrl(key), { method: 'PUT', body: '<script>alert(1)</script>' })).status,
    ).toBe(403);
    expect((await fetch(t.platform.storage.publicUrl(key), { method: 'DELETE' })).status).toBe(403);
    await expect(
      forger().send(new PutObjectCommand({ Bucket: publicBucket, Key: key, Body: 'forged' })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    expect(await (await fetch(t.platform.storage.publicUrl(key))).text()).toBe('logo');
  });
});
