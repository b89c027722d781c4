import express from 'express';
import request from 'supertest';
import { z } from 'zod';
import { endpoint, okSchema, optionalSignIn, publicAccess, shopApi, type EndpointDef } from '@shopfleet/contracts';
import { endpointRouter, type Handlers, type RouteDeps } from './endpoint-router';
import { errorMiddleware } from './errors.middleware';
import { UnauthenticatedError } from '../errors';
import { buildOpenApiDocument } from './openapi';

const deps: RouteDeps = {
  authenticate: () => Promise.reject(new Error('no sign-in in these tests')),
  resolveShop: () => Promise.reject(new Error('no shop in these tests')),
};

const echoSchema = z.object({ headers: z.record(z.string(), z.unknown()) });
const endpoints = {
  /** A header without a reason of its own. */
  traced: endpoint({
    method: 'post',
    path: '/traced',
    summary: 'x',
    tags: ['x'],
    access: publicAccess,
    headers: z.object({ 'x-trace-tag': z.string().regex(/^[a-z]{3,10}$/) }),
    response: echoSchema,
  }),
  /** The Idempotency-Key of order creation, as the shop surface declares it. */
  keyed: endpoint({
    method: 'post',
    path: '/keyed',
    summary: 'x',
    tags: ['x'],
    access: publicAccess,
    headers: shopApi.placeOrder.headers,
    response: echoSchema,
  }),
  plain: endpoint({
    method: 'get',
    path: '/plain',
    summary: 'x',
    tags: ['x'],
    access: publicAccess,
    response: echoSchema,
  }),
};

function app(table: Record<string, EndpointDef> = endpoints) {
  const handlers = Object.fromEntries(
    Object.keys(table).map((name) => [
      name,
      async (_ctx: unknown, input: { headers: object }) => ({ headers: input.headers }),
    ]),
  );
  const server = express();
  server.use(express.json());
  server.use(endpointRouter('platform', table, handlers as unknown as Handlers<typeof table>, deps));
  server.use(errorMiddleware);
  return server;
}

describe('declared request headers', () => {
  it('hands the handler the headers its endpoint declares, parsed, and lets any other header through', async () => {
    const res = await request(app())
      .post('/traced')
      .set('X-Trace-Tag', 'abc')
      .set('X-Something-Else', '1')
      .set('Accept-Language', 'zh-CN')
      .expect(200);
    expect(res.body).toEqual({ headers: { 'x-trace-tag': 'abc' } });
    expect((await request(app()).get('/plain').set('X-Trace-Tag', 'NOT VALID').expect(200)).body).toEqual({
      headers: {},
    });
  });

  it('refuses a missing or malformed declared header as a 400 whose issue names it (headers.<name>)', async () => {
    for (const tag of [undefined, 'NOT VALID']) {
      const req = request(app()).post('/traced');
      const res = await (tag === undefined ? req : req.set('X-Trace-Tag', tag)).expect(400);
      expect(res.body.error).toMatchObject({
        code: 'VALIDATION_FAILED',
        reason: 'INVALID_INPUT',
        message: 'invalid headers',
      });
      expect(res.body.error.details.issues).toEqual([
        expect.objectContaining({
          path: 'headers.x-trace-tag',
          code: tag === undefined ? 'invalid_type' : 'invalid_format',
        }),
      ]);
    }
  });

  it('refuses a missing or malformed Idempotency-Key with its own reason, IDEMPOTENCY_KEY_REQUIRED, and takes a good one', async () => {
    const message = 'send an Idempotency-Key header (8 to 64 letters, digits, - or _), the same one when retrying';
    for (const key of [undefined, '', 'short', 'has spaces in it', 'x'.repeat(65)]) {
      const req = request(app()).post('/keyed');
      const res = await (key === undefined ? req : req.set('Idempotency-Key', key)).expect(400);
      expect(res.body.error).toEqual({
        code: 'VALIDATION_FAILED',
        reason: 'IDEMPOTENCY_KEY_REQUIRED',
        message,
        details: {
          issues: [{ path: 'headers.idempotency-key', code: 'custom', reason: 'IDEMPOTENCY_KEY_REQUIRED', message }],
        },
      });
    }
    const res = await request(app()).post('/keyed').set('Idempotency-Key', 'order-2026_abc').expect(200);
    expect(res.body).toEqual({ headers: { 'idempotency-key': 'order-2026_abc' } });
  });

  it('stops the boot when an endpoint declares a header name that is not lower case (Node gives them lower case)', () => {
    const table = {
      bad: endpoint({
        method: 'get',
        path: '/bad',
        summary: 'x',
        tags: ['x'],
        access: publicAccess,
        headers: z.object({ 'X-Trace-Tag': z.string() }),
        response: okSchema,
      }),
    };
    expect(() => app(table)).toThrow(
      'endpoint platform.bad declares the header X-Trace-Tag: header names are declared in lower case',
    );
  });

  it('documents the declared headers as header parameters in the OpenAPI document', () => {
    const doc = buildOpenApiDocument([{ root: '/shop-api/v1', endpoints: shopApi }], {
      version: 'test',
      serverUrl: 'http://localhost',
    });
    const parameters = doc.paths?.['/shop-api/v1/shops/{shopKey}/orders']?.post?.parameters ?? [];
    expect(parameters).toContainEqual(
      expect.objectContaining({
        in: 'header',
        name: 'idempotency-key',
        required: true,
        schema: expect.objectContaining({ type: 'string', pattern: '^[A-Za-z0-9_-]{8,64}$' }),
      }),
    );
    expect(
      doc.paths?.['/shop-api/v1/shops/{shopKey}/orders']?.get?.parameters?.some((p) => 'in' in p && p.in === 'header'),
    ).toBe(false);
  });
});

describe('an optional sign-in', () => {
  const table = {
    whoAmI: endpoint({
      method: 'get',
      path: '/shops/:shopKey/who',
      summary: 'x',
      tags: ['x'],
      access: optionalSignIn('shopper'),
      params: z.strictObject({ shopKey: z.string() }),
      response: z.object({ actor: z.string(), tenantId: z.number().nullable() }),
    }),
  };
  const shops: Record<string, number> = { one: 1, two: 2 };
  const signIns: RouteDeps = {
    async authenticate(audience, token) {
      if (audience !== 'shopper' || token !== 'shopper-of-one') throw new UnauthenticatedError('TOKEN_INVALID');
      return { type: 'shopper', shopperId: 7, tenantId: 1 };
    },
    async resolveShop(shopKey) {
      return { id: shops[shopKey]!, status: 'active', preview: false };
    },
  };
  const server = () => {
    const s = express();
    s.use(
      endpointRouter(
        'shop',
        table,
        {
          whoAmI: async (ctx) => ({
            actor: ctx.actor.type === 'shopper' ? `shopper ${ctx.actor.shopperId}` : ctx.actor.type,
            tenantId: ctx.tenantId,
          }),
        } as Handlers<typeof table>,
        signIns,
      ),
    );
    s.use(errorMiddleware);
    return s;
  };

  it('is anonymous without a token, and the shopper with one; a bad token or another shop’s shopper is refused', async () => {
    expect((await request(server()).get('/shops/one/who').expect(200)).body).toEqual({
      actor: 'anonymous',
      tenantId: 1,
    });
    expect(
      (await request(server()).get('/shops/one/who').set('Authorization', 'Bearer shopper-of-one').expect(200)).body,
    ).toEqual({ actor: 'shopper 7', tenantId: 1 });
    const bad = await request(server()).get('/shops/one/who').set('Authorization', 'Bearer forged').expect(401);
    expect(bad.body.error.code).toBe('TOKEN_INVALID');
    const elsewhere = await request(server()).get('/shops/two/who').set('Authorization', 'Bearer shopper-of-one');
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.error.code).toBe('WRONG_SHOP');
  });

  it('is documented as public or signed in, with either security', () => {
    const doc = buildOpenApiDocument([{ root: '/shop-api/v1', endpoints: table }], {
      version: 'test',
      serverUrl: 'http://localhost',
    });
    const op = doc.paths?.['/shop-api/v1/shops/{shopKey}/who']?.get;
    expect(op?.security).toEqual([{}, { bearer: [] }]);
    expect(op?.description).toBe('Access: public, or a signed-in shopper.');
  });
});
