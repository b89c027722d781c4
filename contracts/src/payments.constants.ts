import { WECHAT_APPID_PATTERN } from './common.constants';

/** Field formats of wechatPaySettingsInputSchema and alipaySettingsInputSchema. */
export const PAYMENT_PATTERNS = {
  wechatAppId: WECHAT_APPID_PATTERN,
  mchId: /^\d{8,12}$/,
  serialNo: /^[0-9A-Fa-f]{20,64}$/,
  apiV3Key: /^[\x21-\x7e]{32}$/,
  publicKeyId: /^PUB_KEY_ID_[0-9A-Za-z]{10,40}$/,
  pem: /^-----BEGIN [A-Z ]+-----[\s\S]+-----END [A-Z ]+-----$/,
  alipayAppId: /^\d{16}$/,
  unionPayMerId: /^\d{15}$/,
} as const;
/** The longest PEM text (a key) the server takes. */
export const PEM_MAX_CHARS = 8000;
/** The largest .pfx (base64) the server takes: a signing certificate with its key is about 4 KB. */
export const PFX_MAX_BASE64_CHARS = 24_000;
