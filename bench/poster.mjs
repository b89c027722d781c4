// Benchmark: share posters (分享海报) drawn by the server, against the real API in its own process.
// Every request is a NEW poster: a shopper who never shared the product asks for its h5 poster, so the server makes the
// share code, the QR code of its link (stored), reads the product's picture and the sharer's avatar from object storage,
// draws the 750 × 1334 poster (SVG text with CJK fonts + composite + JPEG) and stores it. 20 products with their own
// pictures; half the sharers have an avatar. The h5 channel: a mini-program code adds WeChat's own time, once per code.
//  (new)    BENCH_SAMPLES (default 300) new posters one after another: latency p50 / p95 — the figure of the JSON line;
//  (busy)   as many again at 4 at once: latency p50 / p95 and posters/s on this machine's two cores;
//  (cached) the first posters asked again: served from storage, nothing drawn.
// Usage: npm run bench -- poster
import sharp from 'sharp';
import { createRequire } from 'node:module';
import { jsonApi, makeShoppers, openPlatform, startServer } from './lib.mjs';

const require = createRequire(import.meta.url);
const lib = require('../platform/dist/index.js');
const NAME = 'poster';
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 300);
const BUSY_CONCURRENCY = 4;
const PRODUCTS = 20;
const WARM_UP = 10;

// Posters only: the allowance per shop is the thing under test elsewhere (integration tests).
process.env.SHARE_RATE_PER_SHOP ??= '1000000';
const platform = await openPlatform(NAME, { fresh: true });
const site = await startServer('platform', NAME);
const api = jsonApi(site);

try {
  const system = lib.systemContext(platform.log, 'bench');
  const slug = `bench-poster-${Date.now().toString(36)}`;
  const tenantId = await platform.services.tenants.create(system, { slug, name: '青禾食品旗舰店', status: 'active' });
  const owner = { email: `${slug}@bench.local`, password: 'bench-password-1', name: 'Bench', role: 'owner' };
  await platform.services.identity.addMerchantUser(system, tenantId, owner);
  const { accessToken: merchant } = await api('POST', '/merchant-api/v1/auth/login', null, {
    email: owner.email,
    password: owner.password,
  });

  /** A photo-like picture (noise over a colour), uploaded as a merchant does: stored in its standard sizes. */
  async function upload(seed, size) {
    const noise = Buffer.alloc(size * size * 3);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761 + seed * 97) & 0xff;
    const jpeg = await sharp(noise, { raw: { width: size, height: size, channels: 3 } })
      .blur(2)
      .tint({ r: (seed * 53) % 256, g: (seed * 101) % 256, b: (seed * 151) % 256 })
      .jpeg({ quality: 85 })
      .toBuffer();
    const form = new FormData();
    form.append('file', new Blob([jpeg], { type: 'image/jpeg' }), `p${seed}.jpg`);
    const res = await fetch(`${site.url}/merchant-api/v1/catalog/images`, {
      method: 'POST',
      headers: { authorization: `Bearer ${merchant}` },
      body: form,
    });
    if (!res.ok) throw new Error(`upload: ${res.status} ${await res.text()}`);
    return res.json();
  }

  const category = await api('POST', '/merchant-api/v1/catalog/categories', merchant, { name: '海报', parentId: null });
  const products = [];
  for (let i = 0; i < PRODUCTS; i++) {
    const image = await upload(i + 1, 1200);
    const product = await api('POST', '/merchant-api/v1/catalog/products', merchant, {
      title: `无线蓝牙耳机 主动降噪 长续航 第 ${i + 1} 款 Sonic Pro`,
      subtitle: '',
      brand: 'Sonic',
      tags: [],
      descriptionHtml: '',
      categoryId: category.id,
      imageIds: [image.id],
      attributes: {},
      specs: [],
      skus: [{ specValues: [], priceFen: 19_900 + i * 100, stock: 1000 }],
      status: 'on_sale',
    });
    products.push(product.id);
  }
  const avatar = await upload(999, 400);
  const shoppers = await makeShoppers(platform, system, tenantId, SAMPLES * 2 + WARM_UP + 10, '38');
  const ids = (await platform.knex('shoppers').where({ tenant_id: tenantId }).orderBy('id').select('id')).map((r) =>
    Number(r.id),
  );
  await platform
    .knex('shoppers')
    .where({ tenant_id: tenantId })
    .whereIn(
      'id',
      ids.filter((_, i) => i % 2 === 0),
    )
    .update({ avatar_url: avatar.thumb.jpeg, nickname: '青禾的老朋友' });

  let next = 0;
  /** One new poster: the next shopper (never seen) shares a product. */
  async function newPoster() {
    const n = next++;
    const who = shoppers[n];
    const started = performance.now();
    const res = await fetch(`${site.url}/shop-api/v1/shops/${slug}/shares/poster`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${who.token}` },
      body: JSON.stringify({ productId: products[n % PRODUCTS], channel: 'h5' }),
    });
    const body = await res.json();
    const ms = performance.now() - started;
    if (!res.ok) throw new Error(`poster: ${res.status} ${JSON.stringify(body)}`);
    return { ms, body, who };
  }
  const pct = (xs, p) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)] * 10) / 10;
  };

  for (let i = 0; i < WARM_UP; i++) await newPoster();

  const one = [];
  const firsts = [];
  for (let i = 0; i < SAMPLES; i++) {
    const r = await newPoster();
    one.push(r.ms);
    if (firsts.length < 50) firsts.push(r);
  }

  const busy = [];
  const busyStarted = performance.now();
  await Promise.all(
    Array.from({ length: BUSY_CONCURRENCY }, async () => {
      while (busy.length < SAMPLES) busy.push((await newPoster()).ms);
    }),
  );
  const busySeconds = (performance.now() - busyStarted) / 1000;

  const cached = [];
  for (const f of firsts) {
    const started = performance.now();
    const res = await fetch(`${site.url}/shop-api/v1/shops/${slug}/shares/poster`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${f.who.token}` },
      body: JSON.stringify({ productId: f.body.share.targetId, channel: 'h5' }),
    });
    const body = await res.json();
    cached.push(performance.now() - started);
    if (body.posterUrl !== f.body.posterUrl) throw new Error('a cached poster was drawn again');
  }
  const posters = Number(
    (await platform.knex('share_images').where({ tenant_id: tenantId, kind: 'poster' }).count({ n: '*' }))[0].n,
  );
  const check = await fetch(firsts[0].body.posterUrl);
  const meta = await sharp(Buffer.from(await check.arrayBuffer())).metadata();

  process.stdout.write(
    [
      `new posters, one at a time: ${one.length}, p50 ${pct(one, 0.5)} ms, p95 ${pct(one, 0.95)} ms, p99 ${pct(one, 0.99)} ms`,
      `new posters, ${BUSY_CONCURRENCY} at a time: ${busy.length}, p50 ${pct(busy, 0.5)} ms, p95 ${pct(busy, 0.95)} ms, ${Math.round(busy.length / busySeconds)} posters/s`,
      `cached posters: ${cached.length}, p50 ${pct(cached, 0.5)} ms, p95 ${pct(cached, 0.95)} ms`,
      `stored posters: ${posters} (${meta.format} ${meta.width}×${meta.height})`,
      '',
    ].join('\n'),
  );
  process.stdout.write(
    `${JSON.stringify({
      bench: 'poster',
      p50_ms: pct(one, 0.5),
      p95_ms: pct(one, 0.95),
      samples: one.length,
      busy: {
        concurrency: BUSY_CONCURRENCY,
        p50_ms: pct(busy, 0.5),
        p95_ms: pct(busy, 0.95),
        per_s: Math.round(busy.length / busySeconds),
      },
      cached_p95_ms: pct(cached, 0.95),
    })}\n`,
  );
} finally {
  await site.close();
  await platform.close();
}
