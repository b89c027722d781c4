import fs from 'node:fs';
import path from 'node:path';
import express, { Router, type Request, type Response } from 'express';
import { SLUG_PATTERN } from '@shopfleet/contracts';
import { AppError } from '../kernel/errors';
import type { TenantsService } from '../modules/tenants';

function notBuilt(res: Response, what: string, command: string): void {
  res.status(503).type('text/plain').send(`${what} is not built. Run: ${command}`);
}

/** The tenant console (a single-page app) at /console/: files, else index.html for client-side routes. */
export function consoleSite(dist: string): Router {
  const router = Router();
  router.use(express.static(dist, { index: false, maxAge: '1y', immutable: true }));
  router.use((req: Request, res: Response) => {
    const index = path.join(dist, 'index.html');
    if (req.method !== 'GET' && req.method !== 'HEAD') return res.status(405).end();
    if (!fs.existsSync(index)) return notBuilt(res, 'The tenant console', 'npm run build:console');
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}

/**
 * The shared h5 build of the shop template, served per tenant at /s/<slug>/. One build for every
 * shop: the app reads its shop from the path and loads the settings from the shop API, whose error
 * code it renders as a page of its own (no such shop, not open yet, suspended). So the page is served
 * for every address, with the status the shop API gives the public for that shop; the assets are the
 * same for every shop.
 */
export function shopSites(dist: string, tenants: TenantsService): Router {
  const router = Router({ mergeParams: true });
  const assets = express.static(dist, { index: false, maxAge: '1y', immutable: true });
  router.get('/:slug', (req, res, next) => {
    // Relative asset URLs need the trailing slash; routing matches /s/demo and /s/demo/ alike.
    if (req.originalUrl.split('?')[0]!.endsWith('/')) return next();
    res.redirect(301, `/s/${encodeURIComponent(String(req.params.slug))}/`);
  });
  router.use('/:slug', async (req: Request, res: Response, next) => {
    if (req.path !== '/' && req.path !== '/index.html') return assets(req, res, next);
    const index = path.join(dist, 'index.html');
    if (!fs.existsSync(index)) return notBuilt(res, 'The shop h5 build', 'npm run build:miniapp');
    res.status(await publicStatus(tenants, String(req.params.slug)));
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}

/** The HTTP status of a shop's page: what the shop API answers the public about that shop (404 unknown, 403 not open). */
async function publicStatus(tenants: TenantsService, slug: string): Promise<number> {
  if (!SLUG_PATTERN.test(slug)) return 404;
  try {
    await tenants.openShop(slug, { pass: null, read: true });
    return 200;
  } catch (err) {
    if (err instanceof AppError) return err.status;
    throw err;
  }
}
