import { z } from 'zod';
import { isoDateTime, slugSchema } from './common';
import { JOB_FAILURE_CODES } from './jobs';
import { PAYMENT_PATTERNS, PEM_MAX_CHARS, PFX_MAX_BASE64_CHARS } from './payments.constants';

export const PAYMENT_PROVIDERS = ['wechatpay', 'alipay', 'unionpay', 'sandbox'] as const;
export type PaymentProviderName = (typeof PAYMENT_PROVIDERS)[number];

/**
 * How a shopper pays: WeChat Pay JSAPI in the mini-program, WeChat Pay H5 (mobile browser) or Native
 * (QR code on a desktop) on the web build, Alipay's mobile-site payment or UnionPay's mobile web payment (银联全渠道
 * WAP) on the web build, or the sandbox of a shop in test mode.
 */
export const PAYMENT_METHODS = [
  'wechat_jsapi',
  'wechat_h5',
  'wechat_native',
  'alipay_wap',
  'unionpay_wap',
  'sandbox',
] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const PAYMENT_CLIENTS = ['mp-weixin', 'h5'] as const;
export type PaymentClient = (typeof PAYMENT_CLIENTS)[number];

export const paymentMethodsQuerySchema = z.strictObject({ client: z.enum(PAYMENT_CLIENTS) });
export const paymentMethodsSchema = z.object({
  testMode: z.boolean(),
  methods: z.array(z.enum(PAYMENT_METHODS)),
});

export const payOrderBodySchema = z.strictObject({
  method: z.enum(PAYMENT_METHODS),
  /** Where the browser returns after paying on the web (h5 and Alipay); a path of this shop's site. */
  returnPath: z
    .string()
    .regex(/^\/s\/[a-z0-9-]+\/[^\s]*$/)
    .max(300)
    .optional(),
});
export type PayOrderBody = z.infer<typeof payOrderBodySchema>;

/** What the client needs to pay, by method: the signed parameters of `wx.requestPayment`, a URL, or a QR code's content. */
export const payParamsSchema = z
  .discriminatedUnion('method', [
    z.object({
      method: z.literal('wechat_jsapi'),
      paymentNo: z.string(),
      requestPayment: z.object({
        appId: z.string(),
        timeStamp: z.string(),
        nonceStr: z.string(),
        package: z.string(),
        signType: z.literal('RSA'),
        paySign: z.string(),
      }),
    }),
    z.object({ method: z.literal('wechat_h5'), paymentNo: z.string(), h5Url: z.string() }),
    z.object({ method: z.literal('wechat_native'), paymentNo: z.string(), codeUrl: z.string() }),
    z.object({ method: z.literal('alipay_wap'), paymentNo: z.string(), redirectUrl: z.string() }),
    /** The signed form the browser posts to UnionPay's front gateway (`action`), field by field. */
    z.object({
      method: z.literal('unionpay_wap'),
      paymentNo: z.string(),
      action: z.string(),
      fields: z.record(z.string(), z.string()),
    }),
    z.object({ method: z.literal('sandbox'), paymentNo: z.string(), amountFen: z.number().int() }),
  ])
  .meta({ id: 'PayParams' });
export type PayParams = z.infer<typeof payParamsSchema>;

export const paymentNoParamsSchema = z.strictObject({
  shopKey: slugSchema,
  paymentNo: z.string().regex(/^P\d{8,30}$/),
});

export const PAYMENT_STATUSES = ['pending', 'succeeded', 'closed'] as const;
export const REFUND_STATUSES = ['processing', 'succeeded', 'failed'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];
/** Why money went back: the merchant refunded, or a payment came for an order that was already closed or paid. */
/** `price_changed`: a payment at the amount an unpaid order had before the merchant changed its price, given back. */
export const REFUND_KINDS = [
  'merchant',
  'order_cancelled',
  'late_payment',
  'duplicate_payment',
  'price_changed',
] as const;
export type RefundKind = (typeof REFUND_KINDS)[number];

/** Why a refund failed: the provider refused it (its code and words), or its job gave up. */
export const REFUND_FAILURE_CODES = [...JOB_FAILURE_CODES, 'PROVIDER_REFUSED'] as const;
export const refundFailureSchema = z
  .object({
    code: z.enum(REFUND_FAILURE_CODES),
    params: z.record(z.string(), z.union([z.string(), z.number()])),
  })
  .meta({ id: 'RefundFailure' });
export type RefundFailure = z.infer<typeof refundFailureSchema>;

export const refundSchema = z
  .object({
    id: z.number().int(),
    refundNo: z.string(),
    amountFen: z.number().int(),
    reason: z.string(),
    kind: z.enum(REFUND_KINDS),
    status: z.enum(REFUND_STATUSES),
    /** Why it failed (status failed); a failed refund can be retried under the same refund number. */
    failure: refundFailureSchema.nullable(),
    createdAt: isoDateTime,
    succeededAt: isoDateTime.nullable(),
  })
  .meta({ id: 'Refund' });
export type Refund = z.infer<typeof refundSchema>;

export const orderPaymentSchema = z.object({
  paymentNo: z.string(),
  provider: z.enum(PAYMENT_PROVIDERS),
  method: z.enum(PAYMENT_METHODS),
  amountFen: z.number().int(),
  transactionId: z.string().nullable(),
  paidAt: isoDateTime,
});

// ---- merchant payment settings ------------------------------------------------------------------

const pem = (what: string) => z.string().trim().max(PEM_MAX_CHARS).regex(PAYMENT_PATTERNS.pem, `${what} in PEM form`);

/**
 * WeChat Pay: as a merchant with its own merchant account (mchid and its API key, certificate serial
 * and private key), or as a sub-merchant of the platform's service-provider account (only sub_mchid).
 * Responses and notifications are verified with WeChat Pay's public key (public-key mode).
 */
export const wechatPaySettingsInputSchema = z.discriminatedUnion('mode', [
  z.strictObject({
    mode: z.literal('merchant'),
    appId: z.string().regex(PAYMENT_PATTERNS.wechatAppId, 'the mini-program AppID (wx + 16 hex digits)'),
    mchId: z.string().regex(PAYMENT_PATTERNS.mchId),
    serialNo: z.string().regex(PAYMENT_PATTERNS.serialNo, 'the API certificate serial number'),
    /** Omitted: keep the one stored. */
    privateKey: pem('the API certificate private key').optional(),
    apiV3Key: z.string().regex(PAYMENT_PATTERNS.apiV3Key, '32 characters').optional(),
    publicKeyId: z.string().regex(PAYMENT_PATTERNS.publicKeyId, 'the WeChat Pay public key id'),
    publicKey: pem('the WeChat Pay public key').optional(),
  }),
  z.strictObject({
    mode: z.literal('partner'),
    appId: z.string().regex(PAYMENT_PATTERNS.wechatAppId, 'the mini-program AppID (wx + 16 hex digits)'),
    subMchId: z.string().regex(PAYMENT_PATTERNS.mchId),
  }),
]);
export type WechatPaySettingsInput = z.infer<typeof wechatPaySettingsInputSchema>;

export const alipaySettingsInputSchema = z.strictObject({
  appId: z.string().regex(PAYMENT_PATTERNS.alipayAppId, 'the Alipay app id (16 digits)'),
  privateKey: pem('the application private key').optional(),
  alipayPublicKey: pem("Alipay's public key").optional(),
});
export type AlipaySettingsInput = z.infer<typeof alipaySettingsInputSchema>;

/**
 * UnionPay (银联全渠道): the merchant number and the signing certificate UnionPay issued, a PKCS#12 (.pfx) file in
 * base64 with its password. The file is opened with the password before it is stored (encrypted); left out, the one
 * stored is kept.
 */
export const unionPaySettingsInputSchema = z
  .strictObject({
    merId: z.string().regex(PAYMENT_PATTERNS.unionPayMerId, 'the UnionPay merchant number (15 digits)'),
    pfxBase64: z
      .string()
      .max(PFX_MAX_BASE64_CHARS)
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64')
      .optional(),
    pfxPassword: z.string().min(1).max(64).optional(),
  })
  .refine((v) => (v.pfxBase64 === undefined) === (v.pfxPassword === undefined), {
    message: 'the .pfx and its password go together',
    path: ['pfxPassword'],
  });
export type UnionPaySettingsInput = z.infer<typeof unionPaySettingsInputSchema>;

export const paymentModeInputSchema = z.strictObject({ testMode: z.boolean() });

export const paymentSettingsSchema = z
  .object({
    /** In test mode only the sandbox takes payments, and no money moves. */
    testMode: z.boolean(),
    wechat: z
      .object({
        mode: z.enum(['merchant', 'partner']),
        appId: z.string(),
        mchId: z.string().nullable(),
        subMchId: z.string().nullable(),
        serialNo: z.string().nullable(),
        publicKeyId: z.string().nullable(),
        hasPrivateKey: z.boolean(),
        hasApiV3Key: z.boolean(),
        hasPublicKey: z.boolean(),
      })
      .nullable(),
    alipay: z.object({ appId: z.string(), hasPrivateKey: z.boolean(), hasAlipayPublicKey: z.boolean() }).nullable(),
    /** The signing certificate's serial (certId) and end, read from the stored .pfx. */
    unionpay: z.object({ merId: z.string(), certId: z.string(), certExpiresAt: isoDateTime }).nullable(),
    /** The platform is set up for UnionPay (UnionPay's root and middle certificates are configured). */
    unionpayAvailable: z.boolean(),
    /** The platform can take sub-merchants (its service-provider account is configured). */
    partnerAvailable: z.boolean(),
    /** The URLs to give WeChat Pay and Alipay: each names this shop, so a callback never depends on a header. */
    notifyUrls: z.object({ wechat: z.string(), wechatRefunds: z.string(), alipay: z.string(), unionpay: z.string() }),
    updatedAt: isoDateTime.nullable(),
  })
  .meta({ id: 'PaymentSettings' });
export type PaymentSettings = z.infer<typeof paymentSettingsSchema>;

// ---- reconciliation -------------------------------------------------------------------------------

export const DISCREPANCY_KINDS = [
  'missing_at_provider',
  'unpaid_at_provider',
  'paid_not_recorded',
  'amount_mismatch',
  'provider_error',
] as const;
export const discrepancySchema = z.object({
  id: z.number().int(),
  day: z.string(),
  paymentNo: z.string(),
  kind: z.enum(DISCREPANCY_KINDS),
  detail: z.string(),
  resolved: z.boolean(),
  createdAt: isoDateTime,
});
export type Discrepancy = z.infer<typeof discrepancySchema>;
export type DiscrepancyKind = (typeof DISCREPANCY_KINDS)[number];

export const reconciliationQuerySchema = z.strictObject({
  resolved: z.enum(['true', 'false']).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
