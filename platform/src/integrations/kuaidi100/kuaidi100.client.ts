import { createHash } from 'node:crypto';
import type { CarrierCode, ParcelState } from '@shopfleet/contracts';

/**
 * Kuaidi100's company codes (快递公司编码, lower case) for the carriers an order ships with (`CARRIERS`, WeChat's
 * delivery ids).
 */
export const KUAIDI100_COMPANY: Record<CarrierCode, string> = {
  SF: 'shunfeng',
  ZTO: 'zhongtong',
  YTO: 'yuantong',
  STO: 'shentong',
  YD: 'yunda',
  JTSD: 'jtexpress',
  JD: 'jd',
  EMS: 'ems',
  DBL: 'debangkuaidi',
};

/** Kuaidi100's `state` codes: 0 在途, 1 揽收, 2 疑难, 3 签收, 4 退签, 5 派件, 6 退回, 7 转单, 10–13 清关, 14 拒签. */
const STATES: Record<string, ParcelState> = {
  '0': 'in_transit',
  '1': 'collected',
  '2': 'problem',
  '3': 'delivered',
  '4': 'returned',
  '5': 'out_for_delivery',
  '6': 'returning',
  '7': 'in_transit',
  '14': 'refused',
};

/** The public page of a parcel at Kuaidi100 (any carrier): what the console and the shop link to. */
export function kuaidi100PageUrl(carrier: CarrierCode, trackingNo: string): string {
  return `https://www.kuaidi100.com/chaxun?com=${KUAIDI100_COMPANY[carrier]}&nu=${encodeURIComponent(trackingNo)}`;
}

export interface Kuaidi100Credentials {
  /** 授权码 (customer). */
  customer: string;
  /** 授权key: signs each query. */
  key: string;
}

/** A parcel as asked for: the carrier, its number, and a phone of the receiver (SF Express requires one). */
export interface ParcelQuery {
  carrier: CarrierCode;
  trackingNo: string;
  phone: string | null;
}

/** What a tracking provider answered. Times are China time as the provider writes them, made ISO here. */
export type ParcelRoute =
  | {
      status: 'live';
      state: ParcelState;
      checkpoints: Array<{ at: string; text: string; location: string | null }>;
    }
  | { status: 'not_found' }
  | { status: 'unavailable'; why: string };

/** A parcel tracking service (Kuaidi100 today). */
export interface TrackingProvider {
  readonly name: string;
  query(q: ParcelQuery): Promise<ParcelRoute>;
}

/** `sign` of a query: MD5 over param + key + customer, 32 upper-case hex digits. */
export function kuaidi100Sign(param: string, key: string, customer: string): string {
  return createHash('md5')
    .update(param + key + customer, 'utf8')
    .digest('hex')
    .toUpperCase();
}

/** "2026-12-06 14:03:21" (China time) as ISO; null when it is not such a time. */
function chinaTime(text: unknown): string | null {
  if (typeof text !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m;
  const at = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}+08:00`);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

/**
 * Kuaidi100's real-time query (实时快递查询, `poll/query.do`): a form POST of `customer`, `param` (JSON: com, num,
 * phone, resultv2, order) and `sign`. A route comes back as `{ status: "200", state, data: [{ time, ftime, context,
 * location }] }`; a failure as `{ result: false, returnCode, message }` — 500 for "no result yet" (查询无结果), 400 for a
 * bad parameter, 408 for a phone that does not match, 501/502 for the provider's trouble, 503 for a bad signature,
 * 601 for an expired key or an empty balance. Never throws: a failure is `unavailable`, with why, for the log.
 */
export class Kuaidi100Client implements TrackingProvider {
  readonly name = 'kuaidi100';

  constructor(
    private readonly credentials: Kuaidi100Credentials,
    private readonly opts: { url: string; timeoutMs?: number },
  ) {}

  async query(q: ParcelQuery): Promise<ParcelRoute> {
    const param = JSON.stringify({
      com: KUAIDI100_COMPANY[q.carrier],
      num: q.trackingNo,
      ...(q.phone ? { phone: q.phone } : {}),
      resultv2: '1',
      order: 'desc',
    });
    const { customer, key } = this.credentials;
    const form = new URLSearchParams({ customer, param, sign: kuaidi100Sign(param, key, customer) });
    let body: unknown;
    try {
      const res = await fetch(this.opts.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: form,
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 5_000),
      });
      if (!res.ok) return { status: 'unavailable', why: `HTTP ${res.status}` };
      body = await res.json();
    } catch (err) {
      return { status: 'unavailable', why: err instanceof Error ? err.message : String(err) };
    }
    if (typeof body !== 'object' || body === null) return { status: 'unavailable', why: 'not a JSON object' };
    const b = body as Record<string, unknown>;
    if (b.result === false || (b.returnCode !== undefined && b.status !== '200')) {
      const code = String(b.returnCode ?? '');
      if (code === '500') return { status: 'not_found' };
      return { status: 'unavailable', why: `returnCode ${code}: ${String(b.message ?? '')}` };
    }
    if (String(b.status) !== '200' || !Array.isArray(b.data))
      return { status: 'unavailable', why: `unexpected answer: status ${String(b.status)}` };
    const checkpoints = [];
    for (const item of b.data as unknown[]) {
      if (typeof item !== 'object' || item === null) continue;
      const c = item as Record<string, unknown>;
      const at = chinaTime(c.ftime) ?? chinaTime(c.time);
      if (!at || typeof c.context !== 'string') continue;
      const location = typeof c.location === 'string' && c.location.trim() ? c.location.trim() : null;
      checkpoints.push({ at, text: c.context, location });
    }
    checkpoints.sort((x, y) => (x.at < y.at ? 1 : x.at > y.at ? -1 : 0));
    if (checkpoints.length === 0) return { status: 'not_found' };
    return { status: 'live', state: STATES[String(b.state)] ?? 'in_transit', checkpoints };
  }
}
