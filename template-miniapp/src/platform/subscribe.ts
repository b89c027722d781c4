/**
 * Asks the shopper, in the WeChat mini-program, whether the shop may tell them of a reply they have not read (a
 * subscribe message): true when accepted, false when refused, null where there is no such thing (h5) or
 * WeChat could not ask. Must be called from a tap.
 */
export function askReplyNotice(templateId: string): Promise<boolean | null> {
  let asked: Promise<boolean | null> = Promise.resolve(null);
  // #ifdef MP-WEIXIN
  asked = new Promise<boolean | null>((resolve) => {
    uni.requestSubscribeMessage({
      tmplIds: [templateId],
      success: (res) => resolve((res as unknown as Record<string, string>)[templateId] === 'accept'),
      fail: () => resolve(null),
    });
  });
  // #endif
  return asked;
}
