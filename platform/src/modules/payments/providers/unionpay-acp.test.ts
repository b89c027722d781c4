import { createPrivateKey, X509Certificate } from 'node:crypto';
import {
  FakeUnionPay,
  issue,
  signedAs,
  UnionPayCa,
  UNIONPAY_SIGN_CN,
  zmLine,
} from '../../../../test/fakes/unionpay-gateway';
import {
  parseAnswer,
  parseZmFile,
  parseAcpTime,
  acpTime,
  PfxUnreadable,
  readPfx,
  sign,
  signingText,
  verificationFailure,
} from './unionpay-acp';

const ca = new UnionPayCa();
const trust = { root: new X509Certificate(ca.root.certPem), middle: new X509Certificate(ca.middle.certPem) };
const gateway = { signed: (f: Record<string, string>, as = ca.signer) => signedAs(f, as) };
const now = new Date();
const fields = { merId: '777290058110048', orderId: 'P2026120612000000010000000001', txnAmt: '100', respCode: '00' };

describe('acp 5.1.0 signatures (signMethod 01)', () => {
  it('signs the sha256 hex of the sorted fields, empty ones and the signature left out', () => {
    expect(signingText({ b: '2', a: '1', c: '', signature: 'x' })).toBe('a=1&b=2');
    const m = FakeUnionPay.merchant();
    const pfx = readPfx(m.pfx, m.password);
    expect(pfx.certId).toBe(m.certId);
    const signed = sign(
      { version: '5.1.0', ...fields },
      { certId: pfx.certId, privateKey: createPrivateKey(pfx.privateKeyPem) },
    );
    expect(signed).toMatchObject({
      certId: m.certId,
      signMethod: '01',
      signature: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/),
    });
  });

  it('trusts a message signed by a certificate that chains to the root and names UnionPay', () => {
    expect(verificationFailure(gateway.signed(fields), trust, now)).toBeNull();
  });

  it.each([
    ['a tampered field', () => ({ ...gateway.signed(fields), txnAmt: '1' }), 'bad signature'],
    [
      'another key under UnionPay’s certificate',
      () => ({ ...gateway.signed(fields, issue(UNIONPAY_SIGN_CN, ca.middle)), signPubKeyCert: ca.signer.certPem }),
      'bad signature',
    ],
    [
      'a certificate of another chain',
      () => gateway.signed(fields, issue(UNIONPAY_SIGN_CN, issue('X', issue('R', null, true), true))),
      'does not chain',
    ],
    ['a self-signed certificate', () => gateway.signed(fields, issue(UNIONPAY_SIGN_CN, null)), 'does not chain'],
    ['the middle certificate itself', () => gateway.signed(fields, ca.middle), 'does not chain'],
    [
      'a certificate of the chain not UnionPay’s',
      () => gateway.signed(fields, issue('041@Z12@某公司@00000001', ca.middle)),
      'not UnionPay',
    ],
    ['no certificate', () => ({ ...gateway.signed(fields), signPubKeyCert: '' }), 'no signPubKeyCert'],
    ['another signMethod', () => ({ ...gateway.signed(fields), signMethod: '11' }), 'signMethod'],
  ])('refuses %s', (_what, message, why) => {
    expect(verificationFailure(message(), trust, now)).toContain(why);
  });

  it('refuses what is not a .pfx, and a wrong password', () => {
    const m = FakeUnionPay.merchant();
    const why = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return (err as PfxUnreadable).why;
      }
      return null;
    };
    expect(why(() => readPfx(Buffer.from('not a pfx'), 'x'))).toBe('not_pkcs12');
    expect(why(() => readPfx(m.pfx, 'wrong'))).toBe('wrong_password');
  });

  it('reads the settlement file’s ZM lines by their fixed columns', () => {
    const line = zmLine(
      {
        0: 'S22',
        4: '1206120506',
        6: '24690',
        9: '202612060000000000001',
        11: 'P2026120612050600010000000001',
        19: '01',
        26: '',
        27: '777290058110048',
      },
      new Set([4, 6]),
    );
    expect(line).toHaveLength(566 + 41);
    expect(parseZmFile(Buffer.from(`${line}\r\n${line.replace(' 01 ', ' 04 ')}\r\n\r\n`, 'latin1'))).toEqual([
      {
        txnType: '01',
        merId: '777290058110048',
        orderId: 'P2026120612050600010000000001',
        queryId: '202612060000000000001',
        origQryId: '',
        amountFen: 24690,
      },
      expect.objectContaining({ txnType: '04' }),
    ]);
  });

  it('reads answers as UnionPay writes them, {…} values whole', () => {
    expect(parseAnswer('a=1&b={x=1&y=2}&c=AB==&d=')).toEqual({ a: '1', b: '{x=1&y=2}', c: 'AB==', d: '' });
    const at = new Date('2026-12-06T04:05:06Z');
    expect(acpTime(at)).toBe('20261206120506');
    expect(parseAcpTime(acpTime(at))).toEqual(at);
  });
});
