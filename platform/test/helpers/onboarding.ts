import sharp from 'sharp';
import { PDFDocument } from 'pdf-lib';
import type { SubjectType, TokenPair } from '@shopfleet/contracts';
import { bearer } from './fixtures';
import { uid, type TestPlatform } from './test-platform';

export const CREDIT_CODE = '91350100M000100Y43';
export const ID_NUMBER = '11010519491231002X';

export const png = (color = '#3366ff') =>
  sharp({ create: { width: 800, height: 500, channels: 3, background: color } })
    .png()
    .toBuffer();
export const jpeg = () =>
  sharp({ create: { width: 800, height: 500, channels: 3, background: '#cc8844' } })
    .jpeg()
    .toBuffer();
export async function pdf(pages = 2): Promise<Buffer> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < pages; i++) doc.addPage([595, 842]).drawText(`page ${i + 1}`, { x: 50, y: 780, size: 24 });
  return Buffer.from(await doc.save());
}

/** A day relative to the platform clock, as YYYY-MM-DD (China time, as the documents are dated). */
export function day(t: TestPlatform, offsetDays: number): string {
  return new Date(t.clock.now().getTime() + 8 * 3600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

export interface SignedUpShop {
  slug: string;
  tenantId: number;
  email: string;
  password: string;
  phone: string;
  token: string;
  tokens: TokenPair;
}

/** Signs a merchant up through the API, as the console does: code to the phone, then the form. */
export async function signUp(
  t: TestPlatform,
  opts: { subjectType?: SubjectType; categoryCode?: string; slug?: string } = {},
): Promise<SignedUpShop> {
  const phone = `135${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const slug = opts.slug ?? `m-${uid()}`;
  const email = `merchant-${uid()}@example.com`;
  const password = 'merchant-password-1';
  await t.api.post('/merchant-api/v1/auth/signup/sms-code').send({ phone }).expect(200);
  const res = await t.api
    .post('/merchant-api/v1/auth/signup')
    .send({
      shopName: `店铺 ${slug}`,
      slug,
      subjectType: opts.subjectType ?? 'enterprise',
      categoryCode: opts.categoryCode ?? 'apparel',
      contactName: '王经理',
      contactPhone: phone,
      smsCode: t.sms.lastCodeFor(phone),
      email,
      password,
    })
    .expect(201);
  const me = await t.api.get('/merchant-api/v1/me').set(bearer(res.body.accessToken)).expect(200);
  return { slug, tenantId: me.body.tenant.id, email, password, phone, token: res.body.accessToken, tokens: res.body };
}

export async function uploadFile(
  t: TestPlatform,
  token: string,
  bytes: Buffer,
  filename = 'scan.png',
): Promise<number> {
  const res = await t.api
    .post('/merchant-api/v1/qualifications/files')
    .set(bearer(token))
    .attach('file', bytes, filename)
    .expect(201);
  return res.body.id as number;
}

/** Uploads the files and saves a complete, valid document of the type. */
export async function addDocument(
  t: TestPlatform,
  token: string,
  typeCode: string,
  overrides: Record<string, unknown> = {},
): Promise<{ id: number; status: string }> {
  const fieldsByType: Record<string, Record<string, string>> = {
    business_license: { creditCode: CREDIT_CODE, companyName: '福州示例贸易有限公司', legalRepresentative: '王五' },
    id_card: { name: '张三', idNumber: ID_NUMBER },
    food_business_license: { licenseNumber: 'JY13501000000001', operatorName: '福州示例贸易有限公司' },
    medical_device_permit: { permitNumber: '闽榕食药监械经营许20260001号', operatorName: '福州示例贸易有限公司' },
    publication_permit: { permitNumber: '新出发闽字第0001号', operatorName: '福州示例贸易有限公司' },
  };
  const fileIds =
    typeCode === 'id_card'
      ? [await uploadFile(t, token, await png('#eeeeee')), await uploadFile(t, token, await jpeg(), 'back.jpg')]
      : [await uploadFile(t, token, await pdf(), 'license.pdf')];
  const res = await t.api
    .post('/merchant-api/v1/qualifications')
    .set(bearer(token))
    .send({
      typeCode,
      fileIds,
      fields: fieldsByType[typeCode] ?? {},
      validFrom: day(t, -365),
      validTo: day(t, 365 * 3),
      ...overrides,
    })
    .expect(201);
  return res.body;
}
