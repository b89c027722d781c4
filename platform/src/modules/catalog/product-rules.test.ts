import { normalizeProduct, sanitizeDescription } from './product-rules';

const base = {
  title: 'T',
  subtitle: '',
  brand: '',
  tags: [],
  descriptionHtml: '',
  categoryId: 1,
  imageIds: [],
  videoId: null,
  attributes: {},
  status: 'draft' as const,
  limits: { perOrder: null, perShopper: null },
  schedule: { onSaleAt: null, offSaleAt: null },
};

describe('the SKU matrix', () => {
  it('accepts exactly the combinations of the spec values', () => {
    const { problems, product } = normalizeProduct({
      ...base,
      specs: [
        { name: '颜色', values: ['红', '蓝'] },
        { name: '尺码', values: ['S', 'M'] },
      ],
      skus: [
        { specValues: ['红', 'S'], priceFen: 100, stock: 1 },
        { specValues: ['红', 'M'], priceFen: 120, stock: 2 },
        { specValues: ['蓝', 'S'], priceFen: 90, stock: 0, originalPriceFen: 150 },
        { specValues: ['蓝', 'M'], priceFen: 100, stock: 3 },
      ],
    });
    expect(problems).toEqual([]);
    expect(product).toMatchObject({ minPriceFen: 90, maxPriceFen: 120, totalStock: 6, originalPriceFen: 150 });
  });

  it('refuses a missing combination, a duplicate, an unknown value and a wrong arity', () => {
    const { problems } = normalizeProduct({
      ...base,
      specs: [{ name: '颜色', values: ['红', '蓝'] }],
      skus: [
        { specValues: ['红'], priceFen: 100, stock: 1 },
        { specValues: ['红'], priceFen: 100, stock: 1 },
        { specValues: ['绿'], priceFen: 100, stock: 1 },
        { specValues: ['红', 'S'], priceFen: 100, stock: 1 },
      ],
    });
    const paths = problems.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'body.skus',
        'body.skus.1.specValues',
        'body.skus.2.specValues.0',
        'body.skus.3.specValues',
      ]),
    );
  });

  it('without specs takes exactly one SKU', () => {
    expect(
      normalizeProduct({ ...base, specs: [], skus: [{ specValues: [], priceFen: 1, stock: 0 }] }).problems,
    ).toEqual([]);
    expect(
      normalizeProduct({
        ...base,
        specs: [],
        skus: [
          { specValues: [], priceFen: 1, stock: 0 },
          { specValues: [], priceFen: 2, stock: 0 },
        ],
      }).problems.length,
    ).toBeGreaterThan(0);
  });
});

describe('descriptions', () => {
  it('keep formatting and lose scripts and handlers', () => {
    const out = sanitizeDescription(
      '<p onclick="x()">好<b>物</b></p><script>alert(1)</script><img src="javascript:alert(1)"><img src="https://cdn.example.com/a.jpg" onerror="x">',
    );
    expect(out).toBe('<p>好<b>物</b></p><img /><img src="https://cdn.example.com/a.jpg" />');
  });
});

describe('the rules a product sets itself', () => {
  const now = new Date('2026-12-08T02:00:00Z');
  const sku = { specs: [], skus: [{ specValues: [], priceFen: 100, stock: 1 }] };
  const codes = (input: Parameters<typeof normalizeProduct>[0]) =>
    normalizeProduct(input, now).problems.map((p) => p.code);

  it('schedules ahead of now, off after on, and never on sale already', () => {
    const ahead = { onSaleAt: '2026-12-09T00:00:00+08:00', offSaleAt: '2026-12-10T00:00:00+08:00' };
    const { problems, product } = normalizeProduct({ ...base, ...sku, schedule: ahead }, now);
    expect(problems).toEqual([]);
    expect(product.rules).toMatchObject({ onSaleAt: new Date(ahead.onSaleAt), offSaleAt: new Date(ahead.offSaleAt) });
    expect(codes({ ...base, ...sku, schedule: { onSaleAt: '2026-12-08T09:59:00+08:00', offSaleAt: null } })).toEqual([
      'SCHEDULE_IN_PAST',
    ]);
    expect(codes({ ...base, ...sku, schedule: { onSaleAt: ahead.offSaleAt, offSaleAt: ahead.onSaleAt } })).toEqual([
      'SCHEDULE_OFF_BEFORE_ON',
    ]);
    expect(codes({ ...base, ...sku, status: 'on_sale', schedule: { ...ahead, offSaleAt: null } })).toEqual([
      'SCHEDULE_ALREADY_ON_SALE',
    ]);
    // On sale now and off sale later is a plain schedule.
    expect(
      codes({ ...base, ...sku, status: 'on_sale', schedule: { onSaleAt: null, offSaleAt: ahead.offSaleAt } }),
    ).toEqual([]);
  });

  it('limits an order to no more than a shopper may buy in all', () => {
    expect(codes({ ...base, ...sku, limits: { perOrder: 3, perShopper: 2 } })).toEqual([
      'LIMIT_PER_ORDER_ABOVE_PER_SHOPPER',
    ]);
    expect(
      normalizeProduct({ ...base, ...sku, limits: { perOrder: 2, perShopper: 2 } }, now).product.rules,
    ).toMatchObject({ limitPerOrder: 2, limitPerShopper: 2 });
  });
});
