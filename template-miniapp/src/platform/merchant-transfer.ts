/**
 * Confirming receipt of a WeChat Pay transfer to the shopper's change: the mini-program opens WeChat's own
 * page with the transfer's package (`wx.requestMerchantTransfer`); elsewhere (h5) it cannot, and the page says to open
 * the mini-program.
 */

/** The two calls of the mini-program's runtime this needs (`requestMerchantTransfer` is missing before base library 3.3). */
interface WxTransferApi {
  requestMerchantTransfer?: (options: {
    mchId: string;
    appId: string;
    package: string;
    success: () => void;
    fail: () => void;
  }) => void;
  getAccountInfoSync: () => { miniProgram: { appId: string } };
}
declare const wx: WxTransferApi;

/** Whether this platform can confirm receipt itself. */
export const canConfirmReceipt: boolean = (() => {
  let can = false;
  // #ifdef MP-WEIXIN
  can = true;
  // #endif
  return can;
})();

/** What WeChat's page needs: the shop's WeChat Pay merchant, the mini-program and the transfer's package. */
export interface TransferReceipt {
  mchId: string;
  packageInfo: string;
}

/** Opens WeChat's receipt page; true once the shopper confirmed, false when they left it or it failed. */
export function confirmReceipt(receipt: TransferReceipt): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    let opened = false;
    // #ifdef MP-WEIXIN
    opened = true;
    const api = wx;
    if (!api.requestMerchantTransfer) {
      resolve(false);
      return;
    }
    api.requestMerchantTransfer({
      mchId: receipt.mchId,
      appId: api.getAccountInfoSync().miniProgram.appId,
      package: receipt.packageInfo,
      success: () => resolve(true),
      fail: () => resolve(false),
    });
    // #endif
    if (!opened) resolve(false);
  });
}
