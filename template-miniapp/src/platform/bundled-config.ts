/**
 * The shop's settings, for a mini-program the merchant uploads with its own code-upload key: WeChat
 * reads ext.json only for code committed through the third-party platform, so the platform writes the
 * same `ext` object into this module of the shop's package (`platform/bundled-config.js`). Empty in the
 * template's own build.
 */
export const bundledConfig: Record<string, unknown> = {};
