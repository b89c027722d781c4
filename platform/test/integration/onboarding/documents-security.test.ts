import { PDFDocument, PDFName, PDFString } from 'pdf-lib';
import { QUALIFICATION_FILE_MAX_BYTES } from '@shopfleet/contracts';
import { startTestPlatform, type TestPlatform } from '../../helpers/test-platform';
import { bearer, createPlatformUser, merchantLogin, platformLogin, createShop } from '../../helpers/fixtures';
import { addDocument, jpeg, pdf, png, signUp, uploadFile } from '../../helpers/onboarding';

let t: TestPlatform;
let reviewer: string;
beforeAll(async () => {
  t = await startTestPlatform({ SIGNED_URL_TTL_SECONDS: '2' });
  reviewer = (await platformLogin(t, await createPlatformUser(t, 'reviewer'))).accessToken;
});
afterAll(() => t.close());

const fileCount = async (tenantId: number) =>
  Number((await t.platform.knex('qualification_files').where({ tenant_id: tenantId }).count({ n: '*' }))[0]!.n);

describe('uploads are judged by their bytes', () => {
  it('takes JPEG, PNG and PDF (counting PDF pages)', async () => {
    const shop = await signUp(t);
    const upload = (bytes: Buffer, name: string) =>
      t.api
        .post('/merchant-api/v1/qualifications/files')
        .set(bearer(shop.token))
        .attach('file', bytes, name)
        .expect(201);
    expect((await upload(await jpeg(), 'a.jpg')).body).toMatchObject({ contentType: 'image/jpeg', pages: 1 });
    expect((await upload(await png(), 'a.png')).body).toMatchObject({ contentType: 'image/png', pages: 1 });
    expect((await upload(await pdf(3), 'a.pdf')).body).toMatchObject({ contentType: 'application/pdf', pages: 3 });
    // The declared name does not matter: a PNG called .pdf is a PNG.
    expect((await upload(await png(), 'looks-like.pdf')).body.contentType).toBe('image/png');
  });

  it('refuses an executable named .pdf, HTML posing as a PNG, a truncated PDF, an empty file and an oversized one — storing nothing', async () => {
    const shop = await signUp(t);
    const before = await fileCount(shop.tenantId);
    const send = (bytes: Buffer, name: string, type: string) =>
      t.api
        .post('/merchant-api/v1/qualifications/files')
        .set(bearer(shop.token))
        .attach('file', bytes, { filename: name, contentType: type });
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(4096, 0x90)]);
    expect((await send(elf, 'license.pdf', 'application/pdf')).status).toBe(415);
    const mz = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(4096, 1)]);
    expect((await send(mz, 'license.pdf', 'application/pdf')).status).toBe(415);
    const html = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
    const asPng = await send(html, 'scan.png', 'image/png');
    expect(asPng.status).toBe(415);
    expect(asPng.body.error.code).toBe('FILE_TYPE_NOT_ALLOWED');
    expect(
      (await send(Buffer.from('%PDF-1.7\n% broken and not a pdf at all'), 'x.pdf', 'application/pdf')).status,
    ).toBe(415);
    const pngHead = (await png()).subarray(0, 64);
    expect((await send(pngHead, 'cut.png', 'image/png')).status).toBe(415);
    const empty = await send(Buffer.alloc(0), 'empty.pdf', 'application/pdf');
    expect(empty.status).toBe(400);
    const big = await send(
      Buffer.concat([await pdf(1), Buffer.alloc(QUALIFICATION_FILE_MAX_BYTES)]),
      'big.pdf',
      'application/pdf',
    );
    expect(big.status).toBe(413);
    expect(await fileCount(shop.tenantId)).toBe(before);
  });
});

describe('documents are private to their tenant', () => {
  it("tenant B can neither list, read, link nor borrow tenant A's documents and files", async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    const doc = await addDocument(t, a.token, 'business_license');
    const fileId = (await t.api.get(`/merchant-api/v1/qualifications/${doc.id}`).set(bearer(a.token)).expect(200)).body
      .files[0].id;

    expect((await t.api.get('/merchant-api/v1/qualifications').set(bearer(b.token)).expect(200)).body).toEqual([]);
    await t.api.get(`/merchant-api/v1/qualifications/${doc.id}`).set(bearer(b.token)).expect(404);
    await t.api.get(`/merchant-api/v1/qualifications/files/${fileId}/url`).set(bearer(b.token)).expect(404);
    const borrowed = await t.api
      .post('/merchant-api/v1/qualifications')
      .set(bearer(b.token))
      .send({ typeCode: 'business_license', fileIds: [fileId], fields: {}, validFrom: '2024-01-01', longTerm: true })
      .expect(400);
    expect(JSON.stringify(borrowed.body.error.details)).toContain('fileIds');
    // The platform API names the tenant in the path: a document of A under B's id is not found.
    await t.api
      .get(`/platform-api/v1/tenants/${b.tenantId}/qualifications/${doc.id}`)
      .set(bearer(reviewer))
      .expect(404);
    await t.api
      .get(`/platform-api/v1/tenants/${b.tenantId}/qualifications/${doc.id}/files/${fileId}/url`)
      .set(bearer(reviewer))
      .expect(404);
    // A's own access works.
    await t.api.get(`/merchant-api/v1/qualifications/files/${fileId}/url`).set(bearer(a.token)).expect(200);
  });

  it('files are stored private: no public URL serves them, and a signed URL expires', async () => {
    const a = await signUp(t);
    const doc = await addDocument(t, a.token, 'business_license');
    const fileId = (await t.api.get(`/merchant-api/v1/qualifications/${doc.id}`).set(bearer(a.token)).expect(200)).body
      .files[0].id;
    const row = await t.platform.knex('qualification_files').where({ id: fileId }).first();
    const unsigned = await fetch(
      t.platform.storage.publicUrl(row.storage_key).replace(t.config.S3_BUCKET_PUBLIC, t.config.S3_BUCKET_PRIVATE),
    );
    expect(unsigned.status).toBe(403);
    const { url } = (
      await t.api.get(`/merchant-api/v1/qualifications/files/${fileId}/url`).set(bearer(a.token)).expect(200)
    ).body;
    expect((await fetch(url)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 3100));
    expect((await fetch(url)).status).toBe(403);
  });

  it('a merchant cannot review, and staff without the permission cannot upload', async () => {
    const a = await signUp(t);
    const doc = await addDocument(t, a.token, 'business_license');
    await t.api
      .post(`/platform-api/v1/tenants/${a.tenantId}/qualifications/${doc.id}/approve`)
      .set(bearer(a.token))
      .send({})
      .expect(401);
    await t.api.get('/platform-api/v1/reviews').set(bearer(a.token)).expect(401);
    const shop = await createShop(t);
    const staff = (await merchantLogin(t, shop.staff)).accessToken;
    await t.api.get('/merchant-api/v1/onboarding').set(bearer(staff)).expect(200);
    const res = await t.api
      .post('/merchant-api/v1/qualifications/files')
      .set(bearer(staff))
      .attach('file', await png(), 'a.png')
      .expect(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });

  it('a reviewer cannot act outside the platform area', async () => {
    await t.api.get('/merchant-api/v1/onboarding').set(bearer(reviewer)).expect(401);
    await t.api.get('/merchant-api/v1/qualifications').set(bearer(reviewer)).expect(401);
    await t.api
      .post('/platform-api/v1/business-categories')
      .set(bearer(reviewer))
      .send({ code: 'x_cat', nameZh: 'x', nameEn: 'x' })
      .expect(403);
  });

  it('validity is checked: expired documents, reversed dates and missing dates are refused', async () => {
    const a = await signUp(t);
    const files = async () => [await uploadFile(t, a.token, await pdf(1), 'l.pdf')];
    const base = {
      typeCode: 'business_license',
      fields: { creditCode: '91350100M000100Y43', companyName: 'x', legalRepresentative: 'y' },
    };
    const expired = await t.api
      .post('/merchant-api/v1/qualifications')
      .set(bearer(a.token))
      .send({ ...base, fileIds: await files(), validFrom: '2019-01-01', validTo: '2020-01-01' })
      .expect(400);
    expect(JSON.stringify(expired.body)).toContain('expired');
    await t.api
      .post('/merchant-api/v1/qualifications')
      .set(bearer(a.token))
      .send({ ...base, fileIds: await files(), validFrom: '2024-06-01', validTo: '2024-01-01' })
      .expect(400);
    await t.api
      .post('/merchant-api/v1/qualifications')
      .set(bearer(a.token))
      .send({ ...base, fileIds: await files() })
      .expect(400);
    const badCode = await t.api
      .post('/merchant-api/v1/qualifications')
      .set(bearer(a.token))
      .send({
        ...base,
        fields: { ...base.fields, creditCode: '91350100M000100Y44' },
        fileIds: await files(),
        validFrom: '2024-01-01',
        longTerm: true,
      })
      .expect(400);
    expect(badCode.body.error.details.issues[0].path).toBe('body.fields.creditCode');
    await t.api
      .post('/merchant-api/v1/qualifications')
      .set(bearer(a.token))
      .send({
        ...base,
        typeCode: 'food_business_license',
        fileIds: await files(),
        validFrom: '2024-01-01',
        longTerm: true,
      })
      .expect(400);
  });
});

describe('documents are served so that no browser runs them', () => {
  /** A one-page PDF that runs JavaScript when opened. */
  async function scriptedPdf(): Promise<Buffer> {
    const doc = await PDFDocument.create();
    doc.addPage([200, 200]);
    doc.catalog.set(
      PDFName.of('OpenAction'),
      doc.context.obj({ Type: 'Action', S: 'JavaScript', JS: PDFString.of('app.alert("pwned")') }),
    );
    return Buffer.from(await doc.save());
  }

  it('a PNG with HTML appended and a PDF with JavaScript come back unchanged, as downloads, with nosniff and a sandbox — to the merchant and the reviewer', async () => {
    const a = await signUp(t);
    const polyglot = Buffer.concat([
      await png(),
      Buffer.from('<html><body><script>alert(document.domain)</script></body></html>'),
    ]);
    const cases = [
      { bytes: polyglot, name: 'scan.png', type: 'image/png', ext: 'png' },
      { bytes: await scriptedPdf(), name: 'license.pdf', type: 'application/pdf', ext: 'pdf' },
    ];
    const fileIds: number[] = [];
    for (const c of cases) {
      const file = (
        await t.api
          .post('/merchant-api/v1/qualifications/files')
          .set(bearer(a.token))
          .attach('file', c.bytes, c.name)
          .expect(201)
      ).body;
      expect(file.contentType).toBe(c.type);
      fileIds.push(file.id);
    }
    const doc = (
      await t.api
        .post('/merchant-api/v1/qualifications')
        .set(bearer(a.token))
        .send({
          typeCode: 'business_license',
          fileIds,
          fields: { creditCode: '91350100M000100Y43', companyName: 'x', legalRepresentative: 'y' },
          validFrom: '2024-01-01',
          longTerm: true,
        })
        .expect(201)
    ).body;
    for (const [i, c] of cases.entries()) {
      const fileId = fileIds[i]!;
      const urls = [
        (await t.api.get(`/merchant-api/v1/qualifications/files/${fileId}/url`).set(bearer(a.token)).expect(200)).body
          .url,
        (
          await t.api
            .get(`/platform-api/v1/tenants/${a.tenantId}/qualifications/${doc.id}/files/${fileId}/url`)
            .set(bearer(reviewer))
            .expect(200)
        ).body.url,
      ];
      for (const url of urls) {
        const res = await fetch(url);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe(c.type);
        expect(res.headers.get('content-disposition')).toBe(`attachment; filename="qualification-${fileId}.${c.ext}"`);
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('content-security-policy')).toMatch(/^sandbox/);
        // The reviewer gets the original bytes, not a re-encoding.
        expect(Buffer.from(await res.arrayBuffer()).equals(c.bytes)).toBe(true);
      }
    }
  });
});
