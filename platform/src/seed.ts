import type { PageBlock } from '@shopfleet/contracts';
import type { Platform } from './platform';
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import sharp from 'sharp';
import { systemContext, type RequestContext, type TenantContext } from './kernel/context';
import { identityRepository } from './modules/identity';
import { shoppersRepository } from './modules/shoppers';
import { Database } from './kernel/db/database';
import { DEMO } from './demo';

export { DEMO };

// A simple geometric mark (no text, so no font is needed to render it).
const DEMO_LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512">
  <rect width="512" height="512" rx="96" fill="#e4393c"/>
  <circle cx="256" cy="230" r="120" fill="none" stroke="#fff" stroke-width="36"/>
  <path d="M136 400h240" stroke="#fff" stroke-width="36" stroke-linecap="round"/>
</svg>`;

/**
 * Seeds the demo: platform staff, one active tenant `demo` with its owner and a staff member, and one
 * shopper. Idempotent: anything already there is left as it is.
 */
export async function seedDemo(platform: Platform): Promise<void> {
  const { services, knex } = platform;
  const ctx = systemContext(platform.log, 'seed-demo');
  if (!(await identityRepository(new Database(knex)).platformUserByEmail(DEMO.admin.email))) {
    await services.identity.createPlatformUser({ ...DEMO.admin, role: 'admin' });
    await services.identity.createPlatformUser({ ...DEMO.reviewer, role: 'reviewer' });
  }
  const admin = (await identityRepository(new Database(knex)).platformUserByEmail(DEMO.admin.email))!;
  const reviewerCtx: RequestContext = {
    ...ctx,
    actor: { type: 'platform', userId: admin.id, role: 'admin', permissions: [] },
  };

  let tenant = await services.tenants.findBySlug(DEMO.tenant.slug);
  if (!tenant) {
    const id = await createApplicant(platform, ctx, DEMO.tenant, [DEMO.owner, DEMO.staff]);
    const tctx: TenantContext = { ...ctx, tenantId: id };
    const license = await submitDemoLicenses(platform, tctx, ['business_license']);
    for (const doc of license) await services.qualificationReview.approve(reviewerCtx, id, doc, '演示数据');
    tenant = await services.tenants.findById(id);
  }
  if (!tenant!.logoKey) {
    await services.tenants.uploadLogo(
      { ...ctx, tenantId: tenant!.id },
      { buffer: Buffer.from(DEMO_LOGO_SVG) },
      { trusted: true },
    );
  }
  await shoppersRepository(new Database(knex)).findOrCreate(
    { ...ctx, tenantId: tenant!.id },
    { phone: DEMO.shopperPhone },
  );
  await seedDemoCatalog(platform, { ...ctx, tenantId: tenant!.id });
  await seedDemoShipping(platform, { ...ctx, tenantId: tenant!.id });
  await seedDemoHome(platform, { ...ctx, tenantId: tenant!.id });

  if (!(await services.tenants.findBySlug(DEMO.pending.tenant.slug))) {
    const id = await createApplicant(platform, ctx, DEMO.pending.tenant, [DEMO.pending.owner]);
    await submitDemoLicenses(platform, { ...ctx, tenantId: id }, ['business_license', 'food_business_license']);
  }
}

async function createApplicant(
  platform: Platform,
  ctx: RequestContext,
  shop: { slug: string; name: string; description: string; categoryCode: string; contactPhone: string },
  people: Array<{ email: string; password: string; name: string }>,
): Promise<number> {
  const { services } = platform;
  const id = await services.tenants.create(ctx, {
    slug: shop.slug,
    name: shop.name,
    description: shop.description,
    status: 'pending_review',
    subjectType: 'enterprise',
    categoryCode: shop.categoryCode,
    contactName: people[0]!.name,
    contactPhone: shop.contactPhone,
  });
  for (const [i, person] of people.entries()) {
    await services.identity.addMerchantUser(ctx, id, { ...person, role: i === 0 ? 'owner' : 'staff' });
  }
  return id;
}

/** Uploads a generated scan for each document type, saves the documents and submits them for review. */
async function submitDemoLicenses(platform: Platform, ctx: TenantContext, types: string[]): Promise<number[]> {
  const { services } = platform;
  const ids: number[] = [];
  const fields: Record<string, Record<string, string>> = {
    business_license: {
      creditCode: '91350100M000100Y43',
      companyName: '演示商贸有限公司',
      legalRepresentative: '王五',
    },
    food_business_license: { licenseNumber: 'JY13501000000001', operatorName: '演示商贸有限公司' },
  };
  for (const typeCode of types) {
    const file = await services.onboarding.uploadFile(ctx, { buffer: await demoScan(typeCode) });
    const today = new Date();
    const doc = await services.onboarding.createDocument(ctx, {
      typeCode,
      fileIds: [file.id],
      fields: fields[typeCode] ?? {},
      validFrom: `${today.getUTCFullYear() - 1}-01-01`,
      validTo: `${today.getUTCFullYear() + 4}-12-31`,
      longTerm: false,
    });
    ids.push(doc.id);
  }
  await services.onboarding.submit(ctx);
  return ids;
}

async function demoScan(typeCode: string): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([595, 842]);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  page.drawRectangle({ x: 40, y: 40, width: 515, height: 762, borderColor: rgb(0.7, 0.1, 0.1), borderWidth: 6 });
  page.drawText('SHOPFLEET DEMO DOCUMENT', { x: 80, y: 740, size: 24, font, color: rgb(0.7, 0.1, 0.1) });
  page.drawText(typeCode.replace(/_/g, ' ').toUpperCase(), { x: 80, y: 700, size: 18, font });
  page.drawText('Not a real license. Generated for the demo.', { x: 80, y: 660, size: 12, font });
  return Buffer.from(await pdf.save());
}

const DEMO_CATALOG: Array<{
  root: string;
  child: string;
  leaf: string;
  products: Array<{ title: string; colour: string; price: number; specs?: Array<{ name: string; values: string[] }> }>;
}> = [
  {
    root: '家居生活',
    child: '餐厨',
    leaf: '杯具',
    products: [
      { title: '北欧陶瓷马克杯', colour: '#d98c5f', price: 3900, specs: [{ name: '颜色', values: ['奶白', '雾蓝'] }] },
      {
        title: '316不锈钢保温杯 500ml',
        colour: '#5f8fd9',
        price: 8900,
        specs: [{ name: '颜色', values: ['黑', '白', '粉'] }],
      },
    ],
  },
  {
    root: '家居生活',
    child: '家纺',
    leaf: '毛毯',
    products: [
      {
        title: '法兰绒午睡毛毯',
        colour: '#c9a66b',
        price: 6900,
        specs: [{ name: '尺寸', values: ['100×150', '150×200'] }],
      },
    ],
  },
  {
    root: '数码配件',
    child: '音频',
    leaf: '耳机',
    products: [
      {
        title: '无线蓝牙耳机 降噪版',
        colour: '#333333',
        price: 19900,
        specs: [
          { name: '颜色', values: ['黑', '白'] },
          { name: '版本', values: ['标准', 'Pro'] },
        ],
      },
      { title: '头戴式游戏耳机', colour: '#8a3ffc', price: 25900 },
    ],
  },
  {
    root: '数码配件',
    child: '充电',
    leaf: '充电器',
    products: [{ title: '氮化镓快充充电器 65W', colour: '#eeeeee', price: 12900 }],
  },
];

/**
 * The demo shop's shipping: by default ¥8 an order across the mainland, free from ¥99, ¥20 to the far west; no
 * delivery to Hong Kong, Macao and Taiwan. A second template for bulky goods charges by weight: ¥10 the first kg, ¥5
 * each further kg begun. It stays in test mode, so checkout pays in the sandbox.
 */
async function seedDemoShipping(platform: Platform, ctx: TenantContext): Promise<void> {
  const { freightTemplates: shipping } = platform.services;
  if ((await shipping.list(ctx)).length > 0) return;
  const flat = { firstUnits: 1, additionalUnits: 1, additionalFeeFen: 0, freeMinUnits: null };
  await shipping.create(ctx, {
    name: '全国包邮（满 99）',
    chargeMode: 'piece',
    ...flat,
    firstFeeFen: 800,
    freeAboveFen: 9900,
    rules: [{ regions: ['54', '65', '63'], ...flat, firstFeeFen: 2000, freeAboveFen: 19900 }],
    excludedRegions: ['71', '81', '82'],
    isDefault: true,
  });
  await shipping.create(ctx, {
    name: '大件（按重量）',
    chargeMode: 'weight',
    firstUnits: 1000,
    firstFeeFen: 1000,
    additionalUnits: 1000,
    additionalFeeFen: 500,
    freeAboveFen: null,
    freeMinUnits: null,
    rules: [],
    excludedRegions: ['71', '81', '82'],
    isDefault: false,
  });
}

/** A small catalog for the demo shop (categories, products with SKUs, images, home page), once. */
async function seedDemoCatalog(platform: Platform, ctx: TenantContext): Promise<void> {
  const { catalog } = platform.services;
  if ((await catalog.tree(ctx)).length > 0) return;
  const ids = new Map<string, number>();
  const categoryId = async (name: string, parentId: number | null) => {
    const key = `${parentId ?? ''}/${name}`;
    if (!ids.has(key)) ids.set(key, (await catalog.createCategory(ctx, { name, parentId, iconImageId: null })).id);
    return ids.get(key)!;
  };
  const productIds: number[] = [];
  for (const branch of DEMO_CATALOG) {
    const leaf = await categoryId(branch.leaf, await categoryId(branch.child, await categoryId(branch.root, null)));
    for (const p of branch.products) {
      const image = await catalog.uploadImage(
        ctx,
        await sharp({ create: { width: 800, height: 800, channels: 3, background: p.colour } })
          .png()
          .toBuffer(),
      );
      const specs = p.specs ?? [];
      const combos = specs.reduce<string[][]>(
        (acc, spec) => acc.flatMap((c) => spec.values.map((v) => [...c, v])),
        [[]],
      );
      const saved = await catalog.saveProduct(ctx, {
        title: p.title,
        subtitle: '演示商品',
        brand: 'Shopfleet',
        tags: [branch.leaf, branch.root],
        descriptionHtml: `<p>${p.title}：Shopfleet 演示商品，仅供体验。</p>`,
        categoryId: leaf,
        imageIds: [image.id],
        attributes: { 品类: branch.leaf },
        specs,
        skus: combos.map((values, i) => ({
          specValues: values,
          priceFen: p.price + i * 1000,
          // Enough for every browser test of a worker to buy from the same demo shop (unpaid orders hold theirs for 15 minutes).
          stock: 200 + i * 50,
          weightGrams: 500,
          volumeCm3: 0,
        })),
        status: 'on_sale',
        freightTemplateId: null,
        videoId: null,
        limits: { perOrder: null, perShopper: null },
        schedule: { onSaleAt: null, offSaleAt: null },
      });
      productIds.push(saved.id);
    }
  }
  const banner = await catalog.uploadImage(
    ctx,
    await sharp({ create: { width: 1500, height: 600, channels: 3, background: '#e4393c' } })
      .png()
      .toBuffer(),
  );
  await catalog.setHomeLayout(ctx, {
    banners: [{ imageId: banner.id, productId: productIds[0] ?? null, categoryId: null }],
    shortcutCategoryIds: [...ids.entries()].filter(([k]) => k.startsWith('/')).map(([, v]) => v),
    newProductIds: productIds.slice(0, 4),
    hotProductIds: productIds.slice(2),
    recommendedProductIds: productIds.slice(1, 5),
  });
}

/**
 * The demo shop's home page as the shop designer (装修) makes it, published, unless a home page was published already:
 * a search bar, the banner, the categories, a notice, the coupon and flash-sale strips, the best sellers, the newest
 * products, the owner's picks, guess-you-like and the shop's card, from the demo catalog.
 */
async function seedDemoHome(platform: Platform, ctx: TenantContext): Promise<void> {
  const { storefront, catalog } = platform.services;
  const home = (await storefront.list(ctx)).find((p) => p.key === 'home')!;
  if (home.publishedVersion !== null) return;
  const layout = await catalog.homeLayout(ctx);
  const categories = await catalog.categoryMap(ctx);
  const blocks: PageBlock[] = [
    { id: 'search', type: 'searchBar', placeholder: '' },
    {
      id: 'banner',
      type: 'banner',
      heightRatio: 400,
      items: layout.banners.map((b) => ({
        imageId: b.imageId,
        link: b.productId ? { kind: 'product', productId: b.productId } : null,
      })),
    },
    {
      id: 'categories',
      type: 'navGrid',
      columns: 4,
      items: [
        ...layout.shortcutCategoryIds.flatMap((id) =>
          categories.has(id)
            ? [
                {
                  title: categories.get(id)!.name.slice(0, 8),
                  imageId: null,
                  link: { kind: 'category', categoryId: id },
                },
              ]
            : [],
        ),
        { title: '全部分类', imageId: null, link: { kind: 'shop', page: 'category' } },
        { title: '领券中心', imageId: null, link: { kind: 'shop', page: 'coupons' } },
      ] as Extract<PageBlock, { type: 'navGrid' }>['items'],
    },
    { id: 'notice', type: 'notice', text: '新店开业，全场满 99 元包邮', link: { kind: 'shop', page: 'coupons' } },
    { id: 'coupons', type: 'coupons', title: '', templateIds: [] },
    { id: 'flash', type: 'flashSale', title: '', limit: 6 },
    {
      id: 'hot',
      type: 'productList',
      title: '热卖商品',
      source: { kind: 'rule', rule: 'sales' },
      columns: 2,
      limit: 4,
    },
    {
      id: 'new',
      type: 'productList',
      title: '新品上架',
      source: { kind: 'rule', rule: 'newest' },
      columns: 2,
      limit: 6,
    },
    ...(layout.recommendedProductIds.length
      ? [
          {
            id: 'picks',
            type: 'productList',
            title: '店长推荐',
            source: { kind: 'products', productIds: layout.recommendedProductIds },
            columns: 3,
            limit: layout.recommendedProductIds.length,
          } satisfies PageBlock,
        ]
      : []),
    { id: 'guess', type: 'recommendations', title: '', limit: 10 },
    { id: 'shop', type: 'shopInfo', showDescription: true },
  ];
  await storefront.saveDraft(ctx, home.id, { title: DEMO.tenant.name, background: null, blocks });
  await storefront.publish(ctx, home.id);
}
