import type {
  AlipaySettingsInput,
  PaymentSettings,
  UnionPaySettingsInput,
  WechatPaySettingsInput,
} from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import type { PaymentSettingsRecord, PaymentsRepository } from './payments.repository';
import { ConflictError, ValidationError, issue } from '../../kernel/errors';
import type { Transactions } from '../../kernel/db/database';
import type { SecretBox } from '../../kernel/secret-box';
import type { AuditService } from '../audit';
import type { AlipayCredentials } from './providers/alipay.provider';
import type { WechatPayCredentials } from './providers/wechatpay.provider';
import type { UnionPayCredentials } from './providers/unionpay.provider';
import { PfxUnreadable, readPfx } from './providers/unionpay-acp';

/** The platform's own service-provider account, when configured: shops can then be its sub-merchants. */
const REQUIRED = { reason: 'FIELD_REQUIRED', message: 'required' } as const;

export interface ServiceProviderAccount {
  mchId: string;
  appId: string;
  serialNo: string;
  privateKeyPem: string;
  apiV3Key: string;
  publicKeyId: string;
  publicKeyPem: string;
}

interface WechatPublic {
  mode: 'merchant' | 'partner';
  appId: string;
  mchId: string | null;
  subMchId: string | null;
  serialNo: string | null;
  publicKeyId: string | null;
}
interface WechatSecret {
  privateKey?: string;
  apiV3Key?: string;
  publicKey?: string;
}
interface AlipayPublic {
  appId: string;
}
interface AlipaySecret {
  privateKey?: string;
  alipayPublicKey?: string;
}
interface UnionPayPublic {
  merId: string;
  certId: string;
  certExpiresAt: string;
}
/** The .pfx as uploaded and its password, and the signing key read from it (so it is not decrypted again per call). */
interface UnionPaySecret {
  pfx: string;
  password: string;
  privateKey: string;
}

const PFX_REFUSAL = {
  not_pkcs12: ['body.pfxBase64', 'UNIONPAY_PFX_INVALID', 'not a PKCS#12 (.pfx) file'],
  wrong_password: ['body.pfxPassword', 'UNIONPAY_PFX_WRONG_PASSWORD', 'the password does not open this .pfx'],
  no_key: ['body.pfxBase64', 'UNIONPAY_PFX_NO_KEY', 'the .pfx holds no private key with its certificate'],
} as const;

export interface TenantPaymentCredentials {
  testMode: boolean;
  wechat: WechatPayCredentials | null;
  alipay: AlipayCredentials | null;
  unionpay: UnionPayCredentials | null;
}

export interface PaymentSettingsDeps {
  repo: PaymentsRepository;
  tx: Transactions;
  secretBox: SecretBox;
  audit: AuditService;
  serviceProvider: ServiceProviderAccount | null;
  /** Base URL WeChat Pay and Alipay call back. */
  notifyBaseUrl: string;
  /** UnionPay's root and middle certificates are configured, so its messages can be verified. */
  unionpayAvailable: boolean;
}

export const notifyPaths = (tenantId: number) => ({
  wechat: `/webhooks/pay/wechat/${tenantId}`,
  wechatRefunds: `/webhooks/pay/wechat/${tenantId}/refunds`,
  alipay: `/webhooks/pay/alipay/${tenantId}`,
  /** UnionPay's back notifications of payments and of refunds (told apart by txnType). */
  unionpay: `/webhooks/pay/unionpay/${tenantId}`,
  sandbox: `/webhooks/pay/sandbox/${tenantId}`,
});

/**
 * How each shop takes payments. The keys are sealed with the data key (AES-256-GCM, the key id kept
 * with the ciphertext, the tenant bound in as associated data so a sealed value cannot be moved to
 * another shop) and never leave the server; the console sees only whether each one is stored.
 */
export function paymentSettingsService(deps: PaymentSettingsDeps) {
  const aad = (tenantId: number, provider: string) => `payment:${tenantId}:${provider}`;

  const row = (ctx: TenantContext) => deps.repo.settings(ctx);

  function secrets<T>(
    ctx: TenantContext,
    r: PaymentSettingsRecord | null,
    provider: 'wechat' | 'alipay' | 'unionpay',
  ): T {
    const sealed = { wechat: r?.wechatSecret, alipay: r?.alipaySecret, unionpay: r?.unionpaySecret }[provider];
    return (
      typeof sealed === 'string' ? JSON.parse(deps.secretBox.decrypt(sealed, aad(ctx.tenantId, provider))) : {}
    ) as T;
  }

  async function save(
    ctx: TenantContext,
    patch: Parameters<PaymentsRepository['saveSettings']>[1],
    action: string,
  ): Promise<PaymentSettings> {
    await deps.tx.transaction(ctx, async (tctx) => {
      await deps.repo.saveSettings(tctx, patch);
      // Which shop a sub-merchant number is, for WeChat Pay's notifications to the service provider (its complaints).
      if (patch.wechat !== undefined) {
        const sub =
          (patch.wechat as WechatPublic | null)?.mode === 'partner' ? (patch.wechat as WechatPublic).subMchId : null;
        if (!(await deps.repo.setSubMerchant(tctx, sub)))
          throw new ConflictError({
            reason: 'SUB_MERCHANT_TAKEN',
            message: 'This sub-merchant number is already another shop’s',
          });
      }
      await deps.audit.record(tctx, { action, targetType: 'payment_settings', targetId: ctx.tenantId });
    });
    return view(ctx);
  }

  async function view(ctx: TenantContext): Promise<PaymentSettings> {
    const r = await row(ctx);
    const wechat = (r?.wechat as WechatPublic | null | undefined) ?? null;
    const alipay = (r?.alipay as AlipayPublic | null | undefined) ?? null;
    const unionpay = (r?.unionpay as UnionPayPublic | null | undefined) ?? null;
    const ws = wechat ? secrets<WechatSecret>(ctx, r, 'wechat') : {};
    const as = alipay ? secrets<AlipaySecret>(ctx, r, 'alipay') : {};
    const paths = notifyPaths(ctx.tenantId);
    return {
      testMode: r ? r.testMode : true,
      wechat: wechat
        ? {
            ...wechat,
            hasPrivateKey: Boolean(ws.privateKey),
            hasApiV3Key: Boolean(ws.apiV3Key),
            hasPublicKey: Boolean(ws.publicKey),
          }
        : null,
      alipay: alipay
        ? {
            appId: alipay.appId,
            hasPrivateKey: Boolean(as.privateKey),
            hasAlipayPublicKey: Boolean(as.alipayPublicKey),
          }
        : null,
      unionpay,
      unionpayAvailable: deps.unionpayAvailable,
      partnerAvailable: deps.serviceProvider !== null,
      notifyUrls: {
        wechat: deps.notifyBaseUrl + paths.wechat,
        wechatRefunds: deps.notifyBaseUrl + paths.wechatRefunds,
        alipay: deps.notifyBaseUrl + paths.alipay,
        unionpay: deps.notifyBaseUrl + paths.unionpay,
      },
      updatedAt: r ? r.updatedAt.toISOString() : null,
    };
  }

  return {
    get: view,

    setTestMode: (ctx: TenantContext, testMode: boolean) =>
      save(ctx, { testMode }, testMode ? 'payment.test_mode.on' : 'payment.test_mode.off'),

    /** Stores WeChat Pay settings; a secret left out keeps the one stored. A merchant account needs every key once. */
    async setWechat(ctx: TenantContext, input: WechatPaySettingsInput): Promise<PaymentSettings> {
      if (input.mode === 'partner') {
        if (!deps.serviceProvider)
          throw new ValidationError({
            reason: 'NO_SERVICE_PROVIDER',
            message: 'this platform takes no sub-merchants (no service-provider account is configured)',
          });
        const pub: WechatPublic = {
          mode: 'partner',
          appId: input.appId,
          mchId: null,
          subMchId: input.subMchId,
          serialNo: null,
          publicKeyId: null,
        };
        return save(ctx, { wechat: pub, wechatSecret: null }, 'payment.wechat.update');
      }
      const r = await row(ctx);
      const before =
        (r?.wechat as WechatPublic | null | undefined)?.mode === 'merchant'
          ? secrets<WechatSecret>(ctx, r, 'wechat')
          : {};
      const secret: WechatSecret = {
        privateKey: input.privateKey ?? before.privateKey,
        apiV3Key: input.apiV3Key ?? before.apiV3Key,
        publicKey: input.publicKey ?? before.publicKey,
      };
      const missing = (['privateKey', 'apiV3Key', 'publicKey'] as const).filter((k) => !secret[k]);
      if (missing.length)
        throw new ValidationError(
          {
            reason: 'PAYMENT_KEYS_REQUIRED',
            params: { provider: 'wechat' },
            message: 'WeChat Pay needs its keys the first time',
          },
          { issues: missing.map((k) => issue(`body.${k}`, REQUIRED)) },
        );
      const pub: WechatPublic = {
        mode: 'merchant',
        appId: input.appId,
        mchId: input.mchId,
        subMchId: null,
        serialNo: input.serialNo,
        publicKeyId: input.publicKeyId,
      };
      return save(
        ctx,
        { wechat: pub, wechatSecret: deps.secretBox.encrypt(JSON.stringify(secret), aad(ctx.tenantId, 'wechat')) },
        'payment.wechat.update',
      );
    },

    removeWechat: (ctx: TenantContext) => save(ctx, { wechat: null, wechatSecret: null }, 'payment.wechat.remove'),

    async setAlipay(ctx: TenantContext, input: AlipaySettingsInput): Promise<PaymentSettings> {
      const r = await row(ctx);
      const before = secrets<AlipaySecret>(ctx, r, 'alipay');
      const secret: AlipaySecret = {
        privateKey: input.privateKey ?? before.privateKey,
        alipayPublicKey: input.alipayPublicKey ?? before.alipayPublicKey,
      };
      const missing = (['privateKey', 'alipayPublicKey'] as const).filter((k) => !secret[k]);
      if (missing.length)
        throw new ValidationError(
          {
            reason: 'PAYMENT_KEYS_REQUIRED',
            params: { provider: 'alipay' },
            message: 'Alipay needs its keys the first time',
          },
          { issues: missing.map((k) => issue(`body.${k}`, REQUIRED)) },
        );
      return save(
        ctx,
        {
          alipay: { appId: input.appId },
          alipaySecret: deps.secretBox.encrypt(JSON.stringify(secret), aad(ctx.tenantId, 'alipay')),
        },
        'payment.alipay.update',
      );
    },

    removeAlipay: (ctx: TenantContext) => save(ctx, { alipay: null, alipaySecret: null }, 'payment.alipay.remove'),

    /**
     * Stores UnionPay settings. A .pfx is opened with its password first (a file that is not PKCS#12, a wrong
     * password or a file without a key is refused with its reason); left out, the stored one is kept.
     */
    async setUnionPay(ctx: TenantContext, input: UnionPaySettingsInput): Promise<PaymentSettings> {
      if (!deps.unionpayAvailable)
        throw new ConflictError({
          reason: 'UNIONPAY_NOT_AVAILABLE',
          message: 'UnionPay’s certificates are not configured on this platform',
        });
      const r = await row(ctx);
      let secret: UnionPaySecret;
      let pub: UnionPayPublic;
      if (input.pfxBase64 !== undefined && input.pfxPassword !== undefined) {
        try {
          const pfx = readPfx(Buffer.from(input.pfxBase64, 'base64'), input.pfxPassword);
          secret = { pfx: input.pfxBase64, password: input.pfxPassword, privateKey: pfx.privateKeyPem };
          pub = { merId: input.merId, certId: pfx.certId, certExpiresAt: pfx.notAfter.toISOString() };
        } catch (err) {
          if (!(err instanceof PfxUnreadable)) throw err;
          const [path, reason, message] = PFX_REFUSAL[err.why];
          throw new ValidationError({ reason, message }, { issues: [issue(path, { reason, message })] });
        }
      } else {
        const before = (r?.unionpay as UnionPayPublic | null | undefined) ?? null;
        if (!before)
          throw new ValidationError(
            {
              reason: 'PAYMENT_KEYS_REQUIRED',
              params: { provider: 'unionpay' },
              message: 'UnionPay needs its signing certificate the first time',
            },
            { issues: [issue('body.pfxBase64', REQUIRED)] },
          );
        secret = secrets<UnionPaySecret>(ctx, r, 'unionpay');
        pub = { ...before, merId: input.merId };
      }
      return save(
        ctx,
        {
          unionpay: pub,
          unionpaySecret: deps.secretBox.encrypt(JSON.stringify(secret), aad(ctx.tenantId, 'unionpay')),
        },
        'payment.unionpay.update',
      );
    },

    removeUnionPay: (ctx: TenantContext) =>
      save(ctx, { unionpay: null, unionpaySecret: null }, 'payment.unionpay.remove'),

    /** The decrypted credentials the providers are built from (never sent to a client). */
    async credentials(ctx: TenantContext): Promise<TenantPaymentCredentials> {
      const r = await row(ctx);
      const wechat = (r?.wechat as WechatPublic | null | undefined) ?? null;
      const alipay = (r?.alipay as AlipayPublic | null | undefined) ?? null;
      let wechatCreds: WechatPayCredentials | null = null;
      if (wechat?.mode === 'merchant') {
        const s = secrets<WechatSecret>(ctx, r, 'wechat');
        wechatCreds = {
          mode: 'merchant',
          appId: wechat.appId,
          mchId: wechat.mchId!,
          subMchId: null,
          spAppId: null,
          serialNo: wechat.serialNo!,
          privateKeyPem: s.privateKey!,
          apiV3Key: s.apiV3Key!,
          publicKeyId: wechat.publicKeyId!,
          publicKeyPem: s.publicKey!,
        };
      } else if (wechat?.mode === 'partner' && deps.serviceProvider) {
        const sp = deps.serviceProvider;
        wechatCreds = {
          mode: 'partner',
          appId: wechat.appId,
          mchId: sp.mchId,
          subMchId: wechat.subMchId,
          spAppId: sp.appId,
          serialNo: sp.serialNo,
          privateKeyPem: sp.privateKeyPem,
          apiV3Key: sp.apiV3Key,
          publicKeyId: sp.publicKeyId,
          publicKeyPem: sp.publicKeyPem,
        };
      }
      let alipayCreds: AlipayCredentials | null = null;
      if (alipay) {
        const s = secrets<AlipaySecret>(ctx, r, 'alipay');
        alipayCreds = { appId: alipay.appId, privateKeyPem: s.privateKey!, alipayPublicKeyPem: s.alipayPublicKey! };
      }
      const unionpay = (r?.unionpay as UnionPayPublic | null | undefined) ?? null;
      let unionpayCreds: UnionPayCredentials | null = null;
      if (unionpay && deps.unionpayAvailable) {
        const s = secrets<UnionPaySecret>(ctx, r, 'unionpay');
        unionpayCreds = { merId: unionpay.merId, certId: unionpay.certId, privateKeyPem: s.privateKey };
      }
      return {
        testMode: r ? r.testMode : true,
        wechat: wechatCreds,
        alipay: alipayCreds,
        unionpay: unionpayCreds,
      };
    },
  };
}

export type PaymentSettingsService = ReturnType<typeof paymentSettingsService>;
