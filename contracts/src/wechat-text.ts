/**
 * Text rules of WeChat, with no zod: the console and the template import them from
 * `@shopfleet/contracts/constants` without bundling the schemas.
 */

/** How wide WeChat counts a name: a CJK (or other full-width) character counts 2, anything else 1. */
export function wechatWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += (ch.codePointAt(0) ?? 0) > 0xff ? 2 : 1;
  return width;
}
