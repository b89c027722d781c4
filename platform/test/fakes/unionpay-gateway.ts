import {
  createHash,
  createSign,
  createVerify,
  generateKeyPairSync,
  randomBytes,
  randomInt,
  X509Certificate,
} from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateSync } from 'node:zlib';
import forge from 'node-forge';
import { writeZip } from '../../src/kernel/zip';

/** The ZM file's column widths (《全渠道平台接入接口规范 第3部分 文件接口》 6.1), one separator byte between columns. */
const ZM_WIDTHS = [
  3, 11, 11, 6, 10, 19, 12, 4, 2, 21, 2, 32, 2, 6, 10, 13, 13, 4, 15, 2, 2, 6, 2, 4, 32, 1, 21, 15, 1, 15, 32, 13, 13,
  8, 32, 13, 13, 12, 2, 1, 32, 98,
];

/** A ZM line: numbers zero-padded on the left, text space-padded on the right. */
export function zmLine(values: Record<number, string>, numeric: Set<number>): string {
  return ZM_WIDTHS.map((w, i) => {
    const v = (values[i] ?? '').slice(0, w);
    return numeric.has(i) ? v.padStart(w, '0') : v.padEnd(w, ' ');
  }).join(' ');
}

/** The subject CN UnionPay's signing certificates carry. */
export const UNIONPAY_SIGN_CN = '041@Z12@中国银联股份有限公司@00000001';

type Fields = Record<string, string>;

/** A key pair and its certificate, as a CA or a signer holds them. */
export interface Identity {
  keyPem: string;
  certPem: string;
}

/** What a merchant gets from UnionPay: its merchant number and its signing certificate as a password-protected .pfx. */
export interface UnionPayMerchant {
  merId: string;
  pfx: Buffer;
  password: string;
  certId: string;
  certPem: string;
}

export interface UnionPayTrade {
  merId: string;
  orderId: string;
  txnTime: string;
  txnAmt: number;
  backUrl: string;
  frontUrl?: string;
  channelType: string;
  status: 'open' | 'paid';
  queryId?: string;
  refunded: number;
}

export interface UnionPayRefund {
  merId: string;
  orderId: string;
  origQryId: string;
  txnAmt: number;
  backUrl: string;
  queryId: string;
  txnTime: string;
}

export interface UnionPayNotification {
  url: string;
  form: Fields;
}

/** Ways a test forges a notification. */
export interface UnionPayNotificationOverrides {
  /** Changed after signing (a tampered field). */
  tamper?: Fields;
  /** Changed before signing (a genuine signature over other values). */
  fields?: Fields;
  /** Sign as this identity instead of UnionPay's signing certificate. */
  signAs?: Identity;
}

/** A certificate signed by `issuer` (self-signed when none). */
function certificate(opts: {
  cn: string;
  publicKeyPem: string;
  issuer: Identity | null;
  ca: boolean;
  keyPem: string;
}): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(opts.publicKeyPem);
  // A positive serial in minimal DER: its first byte 0x01–0x7f (a leading zero byte, which forge would keep, is padding
  // OpenSSL refuses).
  const serial = randomBytes(8);
  serial[0] = (serial[0]! % 0x7f) + 1;
  cert.serialNumber = serial.toString('hex');
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 365 * 86_400_000);
  cert.validity.notAfter = new Date(now + 20 * 365 * 86_400_000);
  const subject = [{ shortName: 'CN', value: opts.cn, valueTagClass: forge.asn1.Type.UTF8 as unknown as number }];
  cert.setSubject(subject);
  cert.setIssuer(opts.issuer ? forge.pki.certificateFromPem(opts.issuer.certPem).subject.attributes : subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: opts.ca },
    { name: 'keyUsage', ...(opts.ca ? { keyCertSign: true, cRLSign: true } : { digitalSignature: true }) },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(opts.issuer ? opts.issuer.keyPem : opts.keyPem), forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

function keyPair() {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

/** A new identity: a CA (self-signed when no issuer) or an end certificate. */
export function issue(cn: string, issuer: Identity | null, ca = false): Identity {
  const k = keyPair();
  return {
    keyPem: k.privateKey,
    certPem: certificate({ cn, publicKeyPem: k.publicKey, issuer, ca, keyPem: k.privateKey }),
  };
}

const certIdOf = (pem: string) => BigInt(`0x${new X509Certificate(pem).serialNumber}`).toString(10);

function signingText(fields: Fields): string {
  return Object.keys(fields)
    .filter((k) => k !== 'signature' && fields[k] !== '')
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&');
}
const digest = (f: Fields) => createHash('sha256').update(signingText(f), 'utf8').digest('hex');

/** A message as UnionPay signs it: its signing certificate in signPubKeyCert, SHA256withRSA over the sha256 hex. */
export function signedAs(fields: Fields, as: Identity): Fields {
  const f = { ...fields, signPubKeyCert: as.certPem, signMethod: '01', version: '5.1.0' };
  return { ...f, signature: createSign('RSA-SHA256').update(digest(f), 'utf8').sign(as.keyPem, 'base64') };
}

/** A test CA in the shape of UnionPay's: root → middle → the signing certificate (CN names 中国银联股份有限公司). */
export class UnionPayCa {
  readonly root = issue('CFCA TEST CS CA (fake root)', null, true);
  readonly middle = issue('CFCA TEST OCA1 (fake middle)', this.root, true);
  readonly signer = issue(UNIONPAY_SIGN_CN, this.middle);
}

/**
 * A local UnionPay online gateway (全渠道 acp 5.1.0, signMethod 01): `frontTransReq.do` takes the browser's form and
 * opens a cashier whose "确认付款" pays and sends the signed back notification to the backUrl; `queryTrans.do` and
 * `backTransReq.do` (refund, txnType 04) answer signed `k=v&…` text. Requests must carry the merchant's signature by
 * the certificate registered for its certId; answers and notifications are signed by a certificate that chains to the
 * test root and middle the tests give the platform.
 */
export class FakeUnionPay {
  readonly ca = new UnionPayCa();
  private server?: http.Server;
  private readonly merchants = new Map<string, string>(); // certId → cert PEM
  readonly trades = new Map<string, UnionPayTrade>(); // orderId → trade
  readonly refunds = new Map<string, UnionPayRefund>();
  /** What the settlement file says a trade was settled at, when a test wants it to differ (orderId → fen). */
  readonly settledAmounts = new Map<string, number>();
  readonly calls: Array<{ path: string; fields: Fields; answer?: Fields }> = [];
  url = '';

  /** A merchant's credentials: merId, a .pfx (PKCS#12, 3DES) with its signing key and certificate, and its password. */
  static merchant(merId = `777${String(randomInt(0, 1e12)).padStart(12, '0')}`): UnionPayMerchant {
    const id = issue(`${merId}@merchant-sign`, null);
    const password = `pw-${randomBytes(4).toString('hex')}`;
    const asn1 = forge.pkcs12.toPkcs12Asn1(
      forge.pki.privateKeyFromPem(id.keyPem),
      [forge.pki.certificateFromPem(id.certPem)],
      password,
      { algorithm: '3des' },
    );
    const pfx = Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
    return { merId, pfx, password, certId: certIdOf(id.certPem), certPem: id.certPem };
  }

  registerMerchant(m: Pick<UnionPayMerchant, 'certPem'>): void {
    this.merchants.set(certIdOf(m.certPem), m.certPem);
  }

  get env(): Record<string, string> {
    return {
      UNIONPAY_GATEWAY: this.url,
      UNIONPAY_ROOT_CERT: this.ca.root.certPem.replace(/\n/g, '\\n'),
      UNIONPAY_MIDDLE_CERT: this.ca.middle.certPem.replace(/\n/g, '\\n'),
    };
  }

  signed(fields: Fields, as: Identity = this.ca.signer): Fields {
    return signedAs(fields, as);
  }

  trade(orderId: string): UnionPayTrade {
    const t = this.trades.get(orderId);
    if (!t) throw new Error(`no UnionPay trade ${orderId} (it exists once the front form was posted)`);
    return t;
  }

  /** The shopper pays: the trade gets its queryId. Nothing is notified. */
  pay(orderId: string): UnionPayTrade {
    const t = this.trade(orderId);
    if (t.status === 'open') {
      t.status = 'paid';
      t.queryId = `${t.txnTime.slice(0, 8)}${String(randomInt(0, 1e12)).padStart(13, '0')}`;
    }
    return t;
  }

  /** The back notification UnionPay POSTs to the trade's backUrl. */
  notification(orderId: string, o: UnionPayNotificationOverrides = {}): UnionPayNotification {
    const t = this.trade(orderId);
    const form = this.signed(
      {
        accessType: '0',
        bizType: '000201',
        currencyCode: '156',
        encoding: 'UTF-8',
        merId: t.merId,
        orderId: t.orderId,
        queryId: t.queryId ?? '',
        respCode: '00',
        respMsg: 'success',
        settleAmt: String(t.txnAmt),
        settleCurrencyCode: '156',
        settleDate: t.txnTime.slice(4, 8),
        traceNo: String(randomInt(100000, 999999)),
        traceTime: t.txnTime.slice(4),
        txnAmt: String(t.txnAmt),
        txnSubType: '01',
        txnTime: t.txnTime,
        txnType: '01',
        accNo: '6216***********0018',
        ...o.fields,
      },
      o.signAs,
    );
    return { url: t.backUrl, form: { ...form, ...o.tamper } };
  }

  /** The back notification of a refund (txnType 04). */
  refundNotification(refundOrderId: string, o: UnionPayNotificationOverrides = {}): UnionPayNotification {
    const r = this.refunds.get(refundOrderId);
    if (!r) throw new Error(`no UnionPay refund ${refundOrderId}`);
    const form = this.signed(
      {
        accessType: '0',
        bizType: '000201',
        currencyCode: '156',
        encoding: 'UTF-8',
        merId: r.merId,
        orderId: r.orderId,
        origQryId: r.origQryId,
        queryId: r.queryId,
        respCode: '00',
        respMsg: 'success',
        txnAmt: String(r.txnAmt),
        txnSubType: '00',
        txnTime: r.txnTime,
        txnType: '04',
        ...o.fields,
      },
      o.signAs,
    );
    return { url: r.backUrl, form: { ...form, ...o.tamper } };
  }

  async deliver(n: UnionPayNotification): Promise<{ status: number; body: string }> {
    const res = await fetch(n.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
      body: new URLSearchParams(n.form).toString(),
    });
    return { status: res.status, body: await res.text() };
  }

  /** Posts the h5's form to frontTransReq.do as the shopper's browser would; the cashier page or an error page. */
  async openFront(action: string, fields: Fields): Promise<{ status: number; body: string }> {
    const res = await fetch(action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    return { status: res.status, body: await res.text() };
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void this.handle(req.url ?? '/', Buffer.concat(chunks).toString('utf8'), res).catch((e: unknown) => {
          res.statusCode = 500;
          res.end(String(e));
        });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  // ---------------------------------------------------------------------------------------------

  /** Why a merchant's request is refused (respCode and words), or null. */
  private refusal(f: Fields): [string, string] | null {
    if (f.version !== '5.1.0') return ['10', '报文格式错误[version]'];
    if (f.signMethod !== '01') return ['10', '报文格式错误[signMethod]'];
    const certPem = this.merchants.get(f.certId ?? '');
    if (!certPem) return ['11', '验证签名失败[certId]'];
    let ok = false;
    try {
      ok = createVerify('RSA-SHA256')
        .update(digest(f), 'utf8')
        .verify(certPem, f.signature ?? '', 'base64');
    } catch {
      ok = false;
    }
    if (!ok) return ['11', '验证签名失败'];
    if (f.txnType !== '76' && !/^[0-9a-zA-Z]{8,40}$/.test(f.orderId ?? '')) return ['10', '报文格式错误[orderId]'];
    if (!/^\d{14}$/.test(f.txnTime ?? '')) return ['10', '报文格式错误[txnTime]'];
    return null;
  }

  private answer(res: http.ServerResponse, fields: Fields, signed = true): Fields {
    const a = signed ? this.signed(fields) : fields;
    res.setHeader('Content-Type', 'text/plain;charset=UTF-8');
    res.end(
      Object.entries(a)
        .map(([k, v]) => `${k}=${v}`)
        .join('&'),
    );
    return a;
  }

  private async handle(url: string, raw: string, res: http.ServerResponse): Promise<void> {
    const path = new URL(url, 'http://x').pathname;
    const f: Fields = Object.fromEntries(new URLSearchParams(raw));
    const call: { path: string; fields: Fields; answer?: Fields } = { path, fields: f };
    this.calls.push(call);
    if (path === '/__pay') {
      this.pay(f.orderId ?? '');
      await this.deliver(this.notification(f.orderId ?? '')).catch(() => undefined);
      res.end('支付成功');
      return;
    }
    const refused = this.refusal(f);
    const echo = { merId: f.merId ?? '', orderId: f.orderId ?? '', txnType: f.txnType ?? '', txnTime: f.txnTime ?? '' };
    if (path === '/gateway/api/frontTransReq.do') {
      if (refused) {
        res.setHeader('Content-Type', 'text/html;charset=UTF-8');
        res.end(`<p data-testid="unionpay-error">${refused[0]} ${refused[1]}</p>`);
        return;
      }
      if (
        f.txnType !== '01' ||
        f.bizType !== '000201' ||
        f.currencyCode !== '156' ||
        !/^[1-9]\d*$/.test(f.txnAmt ?? '')
      )
        return void res.end('<p data-testid="unionpay-error">10 报文格式错误</p>');
      const existing = this.trades.get(f.orderId!);
      if (!existing)
        this.trades.set(f.orderId!, {
          merId: f.merId!,
          orderId: f.orderId!,
          txnTime: f.txnTime!,
          txnAmt: Number(f.txnAmt),
          backUrl: f.backUrl!,
          ...(f.frontUrl ? { frontUrl: f.frontUrl } : {}),
          channelType: f.channelType!,
          status: 'open',
          refunded: 0,
        });
      res.setHeader('Content-Type', 'text/html;charset=UTF-8');
      res.end(
        `<p data-testid="unionpay-amount">￥${(Number(f.txnAmt) / 100).toFixed(2)}</p>` +
          `<form method="post" action="/__pay"><input type="hidden" name="orderId" value="${f.orderId}">` +
          `<button type="submit" data-testid="unionpay-confirm">确认付款</button></form>`,
      );
      return;
    }
    if (path === '/gateway/api/queryTrans.do') {
      if (refused)
        return void (call.answer = this.answer(res, { ...echo, respCode: refused[0], respMsg: refused[1] }, false));
      const t = this.trades.get(f.orderId!);
      if (!t || t.merId !== f.merId || t.txnTime !== f.txnTime)
        return void (call.answer = this.answer(res, { ...echo, respCode: '34', respMsg: '查无此交易' }));
      call.answer = this.answer(res, {
        ...echo,
        txnSubType: '00',
        respCode: '00',
        respMsg: '成功[0000000]',
        origRespCode: t.status === 'paid' ? '00' : '05',
        origRespMsg: t.status === 'paid' ? '成功[0000000]' : '交易处理中',
        txnAmt: String(t.txnAmt),
        ...(t.queryId ? { queryId: t.queryId } : {}),
      });
      return;
    }
    if (path === '/gateway/api/backTransReq.do') {
      if (refused)
        return void (call.answer = this.answer(res, { ...echo, respCode: refused[0], respMsg: refused[1] }, false));
      if (f.txnType !== '04')
        return void (call.answer = this.answer(res, { ...echo, respCode: '40', respMsg: '交易类型不支持' }));
      const t = [...this.trades.values()].find((x) => x.queryId === f.origQryId && x.merId === f.merId);
      if (!t) return void (call.answer = this.answer(res, { ...echo, respCode: '35', respMsg: '原交易不存在' }));
      const amount = Number(f.txnAmt);
      const again = this.refunds.get(f.orderId!);
      if (!again) {
        if (!(amount > 0) || amount > t.txnAmt - t.refunded)
          return void (call.answer = this.answer(res, { ...echo, respCode: '36', respMsg: '退货金额超限' }));
        t.refunded += amount;
        this.refunds.set(f.orderId!, {
          merId: f.merId!,
          orderId: f.orderId!,
          origQryId: f.origQryId!,
          txnAmt: amount,
          backUrl: f.backUrl!,
          txnTime: f.txnTime!,
          queryId: `${f.txnTime!.slice(0, 8)}${String(randomInt(0, 1e12)).padStart(13, '0')}`,
        });
      }
      const r = this.refunds.get(f.orderId!)!;
      call.answer = this.answer(res, {
        ...echo,
        txnSubType: '00',
        respCode: '00',
        respMsg: '成功[0000000]',
        queryId: r.queryId,
        txnAmt: String(r.txnAmt),
        origQryId: r.origQryId,
      });
      return;
    }
    if (path === '/gateway/api/fileTransfer.do') {
      if (refused)
        return void (call.answer = this.answer(res, { ...echo, respCode: refused[0], respMsg: refused[1] }, false));
      if (f.txnType !== '76' || f.fileType !== '00' || !/^\d{4}$/.test(f.settleDate ?? ''))
        return void (call.answer = this.answer(res, { ...echo, respCode: '10', respMsg: '报文格式错误' }));
      // The merchant's trades paid on that day (MMDD of their txnTime): 0100 consumes, as UnionPay writes them.
      const lines = [...this.trades.values()]
        .filter((t) => t.merId === f.merId && t.status === 'paid' && t.txnTime.slice(4, 8) === f.settleDate)
        .map((t) =>
          zmLine(
            {
              0: 'S22',
              4: t.txnTime.slice(4),
              6: String(this.settledAmounts.get(t.orderId) ?? t.txnAmt),
              9: t.queryId!,
              11: t.orderId,
              19: '01',
              20: '01',
              21: '000201',
              27: t.merId,
            },
            new Set([4, 6]),
          ),
        );
      const zip = await writeZip(
        new Map([
          [`INN${f.settleDate}88ZM_${f.merId}`, Buffer.from(lines.map((l) => `${l}\r\n`).join(''), 'latin1')],
          [`INN${f.settleDate}88ZME_${f.merId}`, Buffer.alloc(0)],
        ]),
        { deflate: true },
      );
      call.answer = this.answer(res, {
        ...echo,
        respCode: '00',
        respMsg: '成功[0000000]',
        settleDate: f.settleDate!,
        fileType: '00',
        fileName: `${f.merId}_${new Date().getUTCFullYear()}${f.settleDate}.zip`,
        fileContent: deflateSync(zip).toString('base64'),
      });
      return;
    }
    res.statusCode = 404;
    res.end('Not Found');
  }
}
