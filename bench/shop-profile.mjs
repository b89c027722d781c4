// Benchmark: the public shop profile (GET /shop-api/v1/shops/:shopKey), the first read every shopper
// app makes, served from the Redis cache; with a bare-Node ceiling measured in the same run.
// Usage: npm run bench -- shop-profile [seconds]
import { createRequire } from 'node:module';
import { load, openPlatform, printTable, startServer } from './lib.mjs';

const { seedDemo, DEMO } = createRequire(import.meta.url)('../platform/dist/index.js');
const duration = Number(process.argv[2] ?? 20);

const loader = await openPlatform('shop_profile');
await seedDemo(loader);
await loader.close();
const site = await startServer('platform', 'shop_profile');
const ceiling = await startServer('ceiling', 'shop_profile');
try {
  const path = `/shop-api/v1/shops/${DEMO.tenant.slug}`;
  await load({ url: site.url + path, duration: 3 }); // warm-up
  const profile = await load({ url: site.url + path, duration });
  const bare = await load({ url: ceiling.url, duration });
  printTable([
    ['shop profile', profile],
    ['bare node ceiling', bare],
  ]);
  process.stdout.write(
    `${JSON.stringify({ bench: 'shop-profile', connections: 50, duration_s: duration, profile, ceiling: { rps: bare.rps } })}\n`,
  );
} finally {
  await ceiling.close();
  await site.close();
}
