import { normalizeProduct, sanitizeDescription } from './product-rules';

const base = {
  title: 'T',
  subtitle: '',
  brand: '',
  tags: [],
  descriptionHtml: '',
  categoryId: 1,
  imageIds: [],
  attributes: {},
  status: 'draft' as const,
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
