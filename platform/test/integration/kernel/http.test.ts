import { startTestPlatform, type TestPlatform } from '../../helpers/test-platform';
import { bearer, createShop, merchantLogin } from '../../helpers/fixtures';
import { errorBodySchema, merchantApi, platformApi, shopApi, API_ROOTS } from '@shopfleet/contracts';
import { createRedis } from '@shopfleet/platform';
import express from 'express';
import supertest from 'supertest';
import { readiness } from '../../../src/http/health';
import { BusyError } from '../../../src/kernel/errors';
import { errorMiddleware } from '../../../src/kernel/http/errors.middleware';
import { requestLog } from '../../../src/kernel/http/request-log';
import { createHttpServer } from '../../../src/kernel/http/server';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

let t: TestPlatform;
beforeAll(async () => {
  t = await startTestPlatform({ BODY_LIMIT: '16kb' });
});
afterAll(() => t.close());

const expectErrorShape = (body: unknown, code: string) => {
  expect(body).toEqual({
    error: expect.objectContaining({ code, message: expect.any(String), requestId: expect.any(String) }),
  });
};

describe('health and readiness', () => {
  it('/healthz answers for the process', async () => {
    await t.api.get('/healthz').expect(200, { status: 'ok' });
  });

  it('/readyz reports MySQL, Redis and S3 each, all ok', async () => {
    const res = await t.api.get('/readyz').expect(200);
    expect(res.body.status).toBe('ok');
    for (const name of ['mysql', 'redis', 's3']) expect(res.body.checks[name].ok).toBe(true);
  });

  it('readiness names the service that is down', async () => {
    const deadRedis = createRedis('redis://127.0.0.1:1', 'client', {
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
    });
    deadRedis.on('error', () => {});
    try {
      const report = await readiness({ knex: t.platform.knex, storage: t.platform.storage, redis: deadRedis });
      expect(report.status).toBe('unavailable');
      expect(report.checks.redis.ok).toBe(false);
      expect(report.checks.mysql.ok).toBe(true);
    } finally {
      deadRedis.disconnect();
    }
  });

  it('/metrics exposes Prometheus metrics with route templates', async () => {
    await t.api.get('/shop-api/v1/shops/no-such-shop').expect(404);
    const res = await t.api.get('/metrics').expect(200);
    expect(res.text).toContain('shopfleet_http_request_duration_seconds');
    expect(res.text).toContain('route="/shop-api/v1/shops/:shopKey"');
  });
});

describe('request ids and the error shape', () => {
  it('echoes a well-formed X-Request-Id and puts it in errors', async () => {
    const res = await t.api.get('/merchant-api/v1/me').set('X-Request-Id', 'abc-123').expect(401);
    expect(res.headers['x-request-id']).toBe('abc-123');
    expect(res.body.error.requestId).toBe('abc-123');
  });

  it('work the server cannot take now is a 503 BUSY with Retry-After, in the same error shape', async () => {
    const app = express();
    app.use(requestLog(t.platform.log));
    app.post('/busy', () => {
      throw new BusyError('Many orders are being placed right now; try again in a moment', 1);
    });
    app.use(errorMiddleware);
    const res = await supertest(app).post('/busy').expect(503);
    expect(res.headers['retry-after']).toBe('1');
    expectErrorShape(res.body, 'BUSY');
  });

  it('malformed JSON is a 400 MALFORMED_JSON', async () => {
    const res = await t.api
      .post('/merchant-api/v1/auth/login')
      .set('content-type', 'application/json')
      .send('{"email":')
      .expect(400);
    expectErrorShape(res.body, 'MALFORMED_JSON');
  });

  it('an oversized body is a 413', async () => {
    const res = await t.api
      .post('/merchant-api/v1/auth/login')
      .send({ email: 'a@b.cn', password: 'x'.repeat(20_000) })
      .expect(413);
    expectErrorShape(res.body, 'PAYLOAD_TOO_LARGE');
  });

  it('unknown fields, missing fields and wrong types are 400 VALIDATION_FAILED with the paths', async () => {
    const unknown = await t.api
      .post('/merchant-api/v1/auth/login')
      .send({ email: 'a@b.cn', password: 'pw', admin: true })
      .expect(400);
    expectErrorShape(unknown.body, 'VALIDATION_FAILED');
    const missing = await t.api.post('/merchant-api/v1/auth/login').send({ email: 'a@b.cn' }).expect(400);
    expect(missing.body.error.details.issues[0].path).toBe('body.password');
    const wrongType = await t.api.post('/merchant-api/v1/auth/login').send({ email: 42, password: 'pw' }).expect(400);
    expect(wrongType.body.error.details.issues[0].path).toBe('body.email');
    const notObject = await t.api.post('/merchant-api/v1/auth/login').send([1, 2]).expect(400);
    expectErrorShape(notObject.body, 'VALIDATION_FAILED');
  });

  it('a validation failure carries its reason, and each issue its path, schema code and params for the client to say', async () => {
    const res = await t.api.post('/merchant-api/v1/auth/signup/sms-code').send({ phone: '12' }).expect(400);
    expect(errorBodySchema.parse(res.body).error).toMatchObject({ code: 'VALIDATION_FAILED', reason: 'INVALID_INPUT' });
    expect(res.body.error.details.issues).toEqual([
      expect.objectContaining({ path: 'body.phone', code: expect.any(String), message: expect.any(String) }),
    ]);
    const short = await t.api.post('/merchant-api/v1/auth/signup').send({ shopName: 'x' }).expect(400);
    const shopName = short.body.error.details.issues.find((i: { path: string }) => i.path === 'body.shopName');
    expect(shopName).toMatchObject({ code: 'too_small', params: { origin: 'string', minimum: 2, inclusive: 'true' } });
    const missing = short.body.error.details.issues.find((i: { path: string }) => i.path === 'body.email');
    expect(missing).toMatchObject({ code: 'invalid_type', params: { expected: 'string' } });
    // A refinement of ours names its reason.
    const shop = await createShop(t);
    const owner = await merchantLogin(t, shop.owner);
    const empty = await t.api
      .patch('/merchant-api/v1/shop')
      .set(bearer(owner.accessToken))
      .send({ description: null })
      .expect(200);
    expect(empty.body.slug).toBe(shop.slug);
    const nothing = await t.api.patch('/merchant-api/v1/shop').set(bearer(owner.accessToken)).send({}).expect(400);
    expect(nothing.body.error.details.issues).toEqual([
      expect.objectContaining({ code: 'custom', reason: 'NOTHING_TO_UPDATE' }),
    ]);
  });

  it('a refusal for a missing permission names the permission as a param', async () => {
    const shop = await createShop(t);
    const staff = await merchantLogin(t, shop.staff);
    const res = await t.api.get('/merchant-api/v1/staff').set(bearer(staff.accessToken)).expect(403);
    expect(res.body.error).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'PERMISSION_REQUIRED',
      params: { permission: 'staff:member:read' },
    });
  });

  it('a body that is not JSON is a 415', async () => {
    const res = await t.api
      .post('/merchant-api/v1/auth/login')
      .type('form')
      .send('email=a@b.cn&password=x')
      .expect(415);
    expectErrorShape(res.body, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('a body sent to an endpoint that takes none is a 400, whatever its type', async () => {
    const shop = await createShop(t);
    const tokens = await merchantLogin(t, shop.owner);
    const form = await t.api
      .get('/merchant-api/v1/shop')
      .set(bearer(tokens.accessToken))
      .type('form')
      .send('slug=other')
      .expect(400);
    expectErrorShape(form.body, 'VALIDATION_FAILED');
    const text = await t.api
      .get('/merchant-api/v1/shop')
      .set(bearer(tokens.accessToken))
      .type('text')
      .send('hello')
      .expect(400);
    expectErrorShape(text.body, 'VALIDATION_FAILED');
    await t.api.get('/merchant-api/v1/shop').set(bearer(tokens.accessToken)).send({ slug: 'other' }).expect(400);
    // An empty JSON object, as some clients send with every request, is no body.
    await t.api.get('/merchant-api/v1/shop').set(bearer(tokens.accessToken)).send({}).expect(200);
  });

  it('unknown query parameters and bad paging are refused', async () => {
    const shop = await createShop(t);
    const tokens = await merchantLogin(t, shop.owner);
    const extra = await t.api.get('/merchant-api/v1/staff?page=1&debug=1').set(bearer(tokens.accessToken)).expect(400);
    expectErrorShape(extra.body, 'VALIDATION_FAILED');
    await t.api.get('/merchant-api/v1/staff?pageSize=1000').set(bearer(tokens.accessToken)).expect(400);
    await t.api.get('/merchant-api/v1/staff?page=abc').set(bearer(tokens.accessToken)).expect(400);
    await t.api.get('/merchant-api/v1/shoppers/not-a-number').set(bearer(tokens.accessToken)).expect(400);
    const noBody = await t.api.get('/merchant-api/v1/shop').set(bearer(tokens.accessToken)).expect(200);
    expect(noBody.body.slug).toBe(shop.slug);
  });

  it('an unknown route is a JSON 404', async () => {
    const res = await t.api.get('/merchant-api/v1/nothing-here').expect(404);
    expectErrorShape(res.body, 'NOT_FOUND');
  });

  it('a malformed Authorization header is a 401', async () => {
    const res = await t.api.get('/merchant-api/v1/me').set('Authorization', 'Basic abc').expect(401);
    expectErrorShape(res.body, 'TOKEN_INVALID');
  });
});

describe('OpenAPI', () => {
  it('documents every endpoint of the three surfaces, generated from the contracts', async () => {
    const res = await t.api.get('/docs/openapi.json').expect(200);
    expect(res.body.openapi).toBe('3.1.0');
    const surfaces = [
      [API_ROOTS.platform, platformApi],
      [API_ROOTS.merchant, merchantApi],
      [API_ROOTS.shop, shopApi],
    ] as const;
    for (const [root, endpoints] of surfaces) {
      for (const def of Object.values(endpoints)) {
        const path = `${root}${def.path}`.replace(/:([A-Za-z]+)/g, '{$1}');
        expect(res.body.paths[path]?.[def.method]).toBeDefined();
      }
    }
    expect(res.body.components.schemas.ErrorBody).toBeDefined();
    // The same, one document per surface (what the UI shows), each with only its own paths.
    for (const [name, root] of [
      ['platform', API_ROOTS.platform],
      ['merchant', API_ROOTS.merchant],
      ['shop', API_ROOTS.shop],
    ] as const) {
      const one = (await t.api.get(`/docs/openapi/${name}.json`).expect(200)).body as {
        paths: Record<string, unknown>;
      };
      expect(Object.keys(one.paths).length).toBeGreaterThan(10);
      expect(Object.keys(one.paths).every((p) => p.startsWith(root))).toBe(true);
    }
    await t.api.get('/docs/openapi/nope.json').expect(404);
  });

  it('serves a browsable UI at /docs', async () => {
    const res = await t.api.get('/docs/').expect(200);
    expect(res.text).toContain('swagger-ui');
  });
});

describe('requests Node answers itself carry the error shape too', () => {
  /** Sends raw bytes to the API's own server (as main.ts makes it) and reads the whole answer. */
  async function raw(bytes: string): Promise<{ status: number; headers: string; body: string }> {
    const server = createHttpServer(t.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = net.connect((server.address() as AddressInfo).port, '127.0.0.1', () => socket.end(bytes));
        let text = '';
        socket
          .setEncoding('utf8')
          .on('data', (chunk: string) => (text += chunk))
          .on('end', () => resolve(text))
          .on('error', reject);
      });
      const [head = '', body = ''] = answer.split('\r\n\r\n');
      return { status: Number(head.split(' ')[1]), headers: head.toLowerCase(), body };
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }
  const shapeOf = (answer: { headers: string; body: string }, code: string) => {
    expect(answer.headers).toContain('content-type: application/json');
    expectErrorShape(JSON.parse(answer.body), code);
  };

  it('headers past the limit are a 431 HEADERS_TOO_LARGE', async () => {
    const answer = await raw(
      `GET /merchant-api/v1/me HTTP/1.1\r\nHost: localhost\r\nCookie: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(answer.status).toBe(431);
    shapeOf(answer, 'HEADERS_TOO_LARGE');
  });

  it('a request that is not HTTP is a 400 MALFORMED_REQUEST', async () => {
    const answer = await raw('HELLO THERE\r\n\r\n');
    expect(answer.status).toBe(400);
    shapeOf(answer, 'MALFORMED_REQUEST');
  });

  it('an HTTP/1.1 request without Host, and an unknown Expect, are refused in the shape', async () => {
    const noHost = await raw('GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n');
    expect(noHost.status).toBe(400);
    shapeOf(noHost, 'MALFORMED_REQUEST');
    const expectation = await raw(
      'GET /healthz HTTP/1.1\r\nHost: localhost\r\nExpect: something-else\r\nConnection: close\r\n\r\n',
    );
    expect(expectation.status).toBe(417);
    shapeOf(expectation, 'MALFORMED_REQUEST');
  });

  it('a path Express cannot decode is a 400 in the shape', async () => {
    const answer = await raw(
      'GET /merchant-api/v1/qualifications/files/%E0%A4%A/url HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
    );
    expect(answer.status).toBe(400);
    shapeOf(answer, 'VALIDATION_FAILED');
  });

  it('the same server serves ordinary requests', async () => {
    const answer = await raw('GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ status: 'ok' });
  });
});
