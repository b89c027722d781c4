import sharp from 'sharp';
import type { ProductInput } from '@shopfleet/contracts';
import { bearer } from './fixtures';
import type { TestPlatform } from './test-platform';

export const pngBytes = (color = '#22aa66', w = 1200, h = 900) =>
  sharp({ create: { width: w, height: h, channels: 3, background: color } })
    .png()
    .toBuffer();

export async function uploadImage(t: TestPlatform, token: string, color?: string): Promise<number> {
  const res = await t.api
    .post('/merchant-api/v1/catalog/images')
    .set(bearer(token))
    .attach('file', await pngBytes(color), 'p.png')
    .expect(201);
  return res.body.id as number;
}

export async function category(
  t: TestPlatform,
  token: string,
  name: string,
  parentId: number | null = null,
): Promise<number> {
  const res = await t.api
    .post('/merchant-api/v1/catalog/categories')
    .set(bearer(token))
    .send({ name, parentId })
    .expect(201);
  return res.body.id as number;
}

/** A three-level branch: root / child / leaf. */
export async function branch(
  t: TestPlatform,
  token: string,
  prefix: string,
): Promise<{ root: number; child: number; leaf: number }> {
  const root = await category(t, token, `${prefix}根`);
  const child = await category(t, token, `${prefix}子`, root);
  const leaf = await category(t, token, `${prefix}叶`, child);
  return { root, child, leaf };
}

export function productInput(categoryId: number, over: Partial<ProductInput> = {}): ProductInput {
  return {
    title: '无线蓝牙耳机',
    subtitle: '降噪 长续航',
    brand: 'Sonic',
    tags: ['数码', '耳机'],
    descriptionHtml: '<p>好声音</p>',
    categoryId,
    imageIds: [],
    attributes: { colour: 'black' },
    specs: [
      { name: '颜色', values: ['黑', '白'] },
      { name: '版本', values: ['标准', 'Pro'] },
    ],
    skus: [
      { specValues: ['黑', '标准'], priceFen: 19900, stock: 10 },
      { specValues: ['黑', 'Pro'], priceFen: 29900, stock: 0 },
      { specValues: ['白', '标准'], priceFen: 19900, stock: 3 },
      { specValues: ['白', 'Pro'], priceFen: 29900, originalPriceFen: 39900, stock: 50 },
    ],
    status: 'on_sale',
    videoId: null,
    limits: { perOrder: null, perShopper: null },
    schedule: { onSaleAt: null, offSaleAt: null },
    ...over,
  };
}

export async function createProduct(t: TestPlatform, token: string, input: ProductInput): Promise<number> {
  const res = await t.api.post('/merchant-api/v1/catalog/products').set(bearer(token)).send(input);
  if (res.status !== 201) throw new Error(`create product: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as number;
}
