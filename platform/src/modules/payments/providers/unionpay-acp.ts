import { createHash, createPrivateKey, createSign, createVerify, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';

/**
 * UnionPay's online gateway protocol (全渠道 acp) 5.1.0, signMethod 01: the fields but `signature`, sorted by name as
 * `k=v&…`, digested with SHA-256 into lowercase hex, and that hex text signed with SHA256withRSA by the merchant's
 * signing key (`certId`: the decimal serial of its certificate). UnionPay's messages carry their signing certificate
 * (`signPubKeyCert`), which must chain to UnionPay's configured middle and root certificates and name
 * 中国银联股份有限公司 in its subject CN.
 */
export const ACP_VERSION = '5.1.0';
export const UNIONPAY_CN_NAME = '中国银联股份有限公司';

export type AcpFields = Record<string, string>;

/** The merchant's signing key from its .pfx. */
export interface AcpSigner {
  certId: string;
  privateKey: KeyObject;
}

/** UnionPay's certificate chain, from configuration. */
export interface AcpTrust {
  root: X509Certificate;
  middle: X509Certificate;
}

/** Why a .pfx could not be read: not PKCS#12 at all, the password does not open it, or it holds no key and certificate. */
export class PfxUnreadable extends Error {
  constructor(readonly why: 'not_pkcs12' | 'wrong_password' | 'no_key') {
    super(`unreadable .pfx: ${why}`);
  }
}

/** What a merchant's .pfx holds that signing needs: the private key (PKCS#8 PEM), the certificate's decimal serial, its end. */
export interface PfxContents {
  privateKeyPem: string;
  certId: string;
  notAfter: Date;
}

/** PKCS#12 bag types (RFC 7292). */
const KEY_BAG = '1.2.840.113549.1.12.10.1.1';
const SHROUDED_KEY_BAG = '1.2.840.113549.1.12.10.1.2';
const CERT_BAG = '1.2.840.113549.1.12.10.1.3';

/** Reads a PKCS#12 file (node-forge: Node has no PKCS#12 reader). */
export function readPfx(bytes: Buffer, password: string): PfxContents {
  let p12: forge.pkcs12.Pkcs12Pfx;
  let asn1: forge.asn1.Asn1;
  try {
    asn1 = forge.asn1.fromDer(forge.util.createBuffer(bytes.toString('binary')));
  } catch {
    throw new PfxUnreadable('not_pkcs12');
  }
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
  } catch (err) {
    const message = (err as Error).message;
    throw new PfxUnreadable(/password|MAC/i.test(message) ? 'wrong_password' : 'not_pkcs12');
  }
  const bag = (type: string) => p12.getBags({ bagType: type })[type]?.[0];
  const keyBag = bag(SHROUDED_KEY_BAG) ?? bag(KEY_BAG);
  const certBag = bag(CERT_BAG);
  if (!keyBag?.key || !certBag?.cert) throw new PfxUnreadable('no_key');
  const privateKeyPem = createPrivateKey(forge.pki.privateKeyToPem(keyBag.key))
    .export({ type: 'pkcs8', format: 'pem' })
    .toString();
  return {
    privateKeyPem,
    certId: BigInt(`0x${certBag.cert.serialNumber}`).toString(10),
    notAfter: certBag.cert.validity.notAfter,
  };
}

/** The signed text: every field but `signature` (and empty ones), sorted by name, `k=v` joined by `&`. */
export function signingText(fields: AcpFields): string {
  return Object.keys(fields)
    .filter((k) => k !== 'signature' && fields[k] !== undefined && fields[k] !== '')
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&');
}

const digestHex = (fields: AcpFields) => createHash('sha256').update(signingText(fields), 'utf8').digest('hex');

/** Adds `certId` and `signature` (base64 of SHA256withRSA over the sha256 hex of the sorted fields). */
export function sign(fields: AcpFields, signer: AcpSigner): AcpFields {
  const withCert = { ...fields, certId: signer.certId, signMethod: '01' };
  const signature = createSign('RSA-SHA256').update(digestHex(withCert), 'utf8').sign(signer.privateKey, 'base64');
  return { ...withCert, signature };
}

/** The CN values of a certificate's subject (Node writes one `key=value` a line). */
function commonNames(cert: X509Certificate): string[] {
  return cert.subject
    .split('\n')
    .filter((line) => line.startsWith('CN='))
    .map((line) => line.slice(3));
}

/** UnionPay's CNs read `<no>@<id>@中国银联股份有限公司@<no>`; a CN of the name alone is accepted too. */
function namesUnionPay(cert: X509Certificate): boolean {
  return commonNames(cert).some((cn) => cn === UNIONPAY_CN_NAME || cn.split('@')[2] === UNIONPAY_CN_NAME);
}

function validAt(cert: X509Certificate, now: Date): boolean {
  return new Date(cert.validFrom).getTime() <= now.getTime() && now.getTime() <= new Date(cert.validTo).getTime();
}

/** Why a message from UnionPay is not trusted; null when it is. */
export function verificationFailure(fields: AcpFields, trust: AcpTrust, now: Date): string | null {
  if (fields.signMethod !== '01') return `signMethod ${fields.signMethod ?? '(none)'} is not 01`;
  if (fields.version !== ACP_VERSION) return `version ${fields.version ?? '(none)'} is not ${ACP_VERSION}`;
  const pem = fields.signPubKeyCert;
  if (!pem || !fields.signature) return 'no signPubKeyCert or signature';
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    return 'signPubKeyCert is not a certificate';
  }
  const { root, middle } = trust;
  const chained =
    cert.checkIssued(middle) &&
    cert.verify(middle.publicKey) &&
    middle.ca &&
    middle.checkIssued(root) &&
    middle.verify(root.publicKey) &&
    [cert, middle, root].every((c) => validAt(c, now));
  if (!chained) return 'signPubKeyCert does not chain to UnionPay’s root';
  if (!namesUnionPay(cert)) return `signPubKeyCert is not UnionPay’s (${commonNames(cert).join(', ')})`;
  let good = false;
  try {
    good = createVerify('RSA-SHA256')
      .update(digestHex(fields), 'utf8')
      .verify(cert.publicKey, fields.signature, 'base64');
  } catch {
    good = false;
  }
  return good ? null : 'bad signature';
}

/**
 * A synchronous answer: `k=v&k=v` as UnionPay writes it, values not URL-encoded, a value in `{…}` kept whole even
 * when it holds `&` or `=` (the SDKs' `coverResultString2Map`).
 */
export function parseAnswer(text: string): AcpFields {
  const out: AcpFields = {};
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf('=', i);
    if (eq < 0) break;
    const key = text.slice(i, eq);
    let j = eq + 1;
    if (text[j] === '{') {
      let depth = 0;
      for (; j < text.length; j++) {
        if (text[j] === '{') depth++;
        else if (text[j] === '}' && --depth === 0) {
          j++;
          break;
        }
      }
    } else {
      const amp = text.indexOf('&', j);
      j = amp < 0 ? text.length : amp;
    }
    out[key] = text.slice(eq + 1, j);
    i = j + 1;
  }
  return out;
}

/** `yyyyMMddHHmmss` in China time, as acp writes txnTime. */
export function acpTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace(/\D/g, '');
}

/** An acp time as an instant. */
export function parseAcpTime(text: string | undefined): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text ?? '');
  return m ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+08:00`) : null;
}

/**
 * The columns of the merchant settlement file's ZM lines (《全渠道平台接入接口规范 第3部分 文件接口》 6.1): fixed widths in
 * bytes, one separator byte between fields.
 */
export const ZM_WIDTHS = [
  3, 11, 11, 6, 10, 19, 12, 4, 2, 21, 2, 32, 2, 6, 10, 13, 13, 4, 15, 2, 2, 6, 2, 4, 32, 1, 21, 15, 1, 15, 32, 13, 13,
  8, 32, 13, 13, 12, 2, 1, 32, 98,
] as const;
/** Where the fields we read sit among those columns (0-based). */
const ZM = { traceTime: 4, txnAmt: 6, queryId: 9, orderId: 11, txnType: 19, origQryId: 26, merId: 27 } as const;

/** One trade of a ZM file: what UnionPay settled for the merchant that day. */
export interface SettledTrade {
  /** 01 consume, 04 refund, 31 consume cancellation. */
  txnType: string;
  merId: string;
  orderId: string;
  queryId: string;
  origQryId: string;
  amountFen: number;
}

/** The trades of a ZM file (its bytes, GBK or ASCII: the fields read are ASCII, so bytes are read as Latin-1). */
export function parseZmFile(bytes: Buffer): SettledTrade[] {
  const trades: SettledTrade[] = [];
  for (const line of bytes.toString('latin1').split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const fields: string[] = [];
    let at = 0;
    for (const width of ZM_WIDTHS) {
      fields.push(line.slice(at, at + width).trim());
      at += width + 1;
    }
    const amount = fields[ZM.txnAmt]!;
    if (!/^\d{1,12}$/.test(amount)) continue;
    trades.push({
      txnType: fields[ZM.txnType]!,
      merId: fields[ZM.merId]!,
      orderId: fields[ZM.orderId]!,
      queryId: fields[ZM.queryId]!,
      origQryId: fields[ZM.origQryId]!,
      amountFen: Number(amount),
    });
  }
  return trades;
}
