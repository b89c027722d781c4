import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A checkpoint as Kuaidi100 writes it: China time `YYYY-MM-DD HH:mm:ss`, what happened, where. */
export interface Kuaidi100Checkpoint {
  time: string;
  context: string;
  location?: string;
}

/** A parcel Kuaidi100 knows: its state code (0 在途, 1 揽收, 3 签收, 5 派件, …), its route, and a receiver phone. */
export interface Kuaidi100Parcel {
  state: string;
  data: Kuaidi100Checkpoint[];
  phone?: string;
}

/**
 * A local Kuaidi100 real-time query (实时快递查询, `POST /poll/query.do`), speaking its protocol: a form of `customer`,
 * `param` (JSON: com, num, phone, resultv2, order) and `sign` = MD5(param + key + customer) in upper case. A wrong
 * signature is `returnCode 503`, an unknown customer `601`, a bad param `400`, a 顺丰 parcel without the receiver's
 * phone (or with another's) `408`, no route `500`; a route is `status "200"` with `state` and `data`, newest first
 * unless `order` is `asc`. `failWith` makes the next queries fail as the provider's trouble does (a returnCode, or an
 * HTTP 502).
 */
export class FakeKuaidi100 {
  readonly customer = `C${randomBytes(8).toString('hex').toUpperCase()}`;
  readonly key = randomBytes(8).toString('hex');
  private readonly parcels = new Map<string, Kuaidi100Parcel>();
  /** Every query that was signed right, as it came. */
  readonly queries: Array<{ com: string; num: string; phone?: string }> = [];
  /** Answer every query with this failure until cleared: a returnCode ('501', '601', …) or 'http502'. */
  failWith: string | null = null;
  private server: http.Server | null = null;

  get url(): string {
    const port = (this.server!.address() as AddressInfo).port;
    return `http://127.0.0.1:${port}/poll/query.do`;
  }

  /** Kuaidi100 learns a parcel's route (from the carrier). */
  addParcel(com: string, num: string, parcel: Kuaidi100Parcel): void {
    this.parcels.set(`${com}:${num}`, parcel);
  }

  private answer(form: URLSearchParams): { status: number; body: unknown } {
    const fail = (returnCode: string, message: string) => ({
      status: 200,
      body: { result: false, returnCode, message },
    });
    if (this.failWith === 'http502') return { status: 502, body: { message: 'Bad Gateway' } };
    const customer = form.get('customer') ?? '';
    const param = form.get('param') ?? '';
    const sign = form.get('sign') ?? '';
    if (customer !== this.customer) return fail('601', 'POLL:KEY已过期或账户余额不足');
    const expected = createHash('md5')
      .update(param + this.key + customer, 'utf8')
      .digest('hex')
      .toUpperCase();
    if (sign !== expected) return fail('503', '验证签名失败');
    let p: { com?: string; num?: string; phone?: string; order?: string };
    try {
      p = JSON.parse(param) as typeof p;
    } catch {
      return fail('400', '参数错误');
    }
    if (!p.com || !p.num) return fail('400', '找不到对应公司');
    this.queries.push({ com: p.com, num: p.num, ...(p.phone ? { phone: p.phone } : {}) });
    if (this.failWith) return fail(this.failWith, '服务器错误');
    const parcel = this.parcels.get(`${p.com}:${p.num}`);
    if (!parcel) return fail('500', '查询无结果，请隔段时间再查');
    if (p.com === 'shunfeng' && parcel.phone && p.phone?.slice(-4) !== parcel.phone.slice(-4))
      return fail('408', '验证码错误');
    const data = [...parcel.data]
      .sort((a, b) => (a.time < b.time ? 1 : -1))
      .map((c) => ({ time: c.time, ftime: c.time, context: c.context, location: c.location ?? '' }));
    if (p.order === 'asc') data.reverse();
    return {
      status: 200,
      body: {
        message: 'ok',
        nu: p.num,
        ischeck: parcel.state === '3' ? '1' : '0',
        condition: 'F00',
        com: p.com,
        status: '200',
        state: parcel.state,
        data,
      },
    };
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const known = req.method === 'POST' && req.url?.split('?')[0] === '/poll/query.do';
        const { status, body } = known
          ? this.answer(new URLSearchParams(Buffer.concat(chunks).toString('utf8')))
          : { status: 404, body: { message: 'not found' } };
        res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8' });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this.url;
  }

  async close(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
