/** An address picked from the shopper's WeChat addresses (uni.chooseAddress). */
export interface WechatAddress {
  name: string;
  phone: string;
  province: string;
  city: string;
  district: string;
  detail: string;
  /** The district's 6-digit division code as WeChat gives it; may be empty. */
  nationalCode: string;
}

function detectAvailable(): boolean {
  let available = false;
  // #ifdef MP-WEIXIN
  available = true;
  // #endif
  return available;
}

/** Whether "use a WeChat address" is offered: the mini-program only (declared in manifest requiredPrivateInfos). */
export const wechatAddressAvailable: boolean = detectAvailable();

/** Opens WeChat's address picker; null when the shopper cancels or it is not available. */
export function chooseWechatAddress(): Promise<WechatAddress | null> {
  let picked: Promise<WechatAddress | null> = Promise.resolve(null);
  // #ifdef MP-WEIXIN
  picked = new Promise<WechatAddress | null>((resolve) => {
    uni.chooseAddress({
      success(res) {
        resolve({
          name: res.userName ?? '',
          phone: res.telNumber ?? '',
          province: res.provinceName ?? '',
          city: res.cityName ?? '',
          district: res.countyName ?? '',
          detail: res.detailInfo ?? '',
          nationalCode: res.nationalCode ?? '',
        });
      },
      fail() {
        resolve(null);
      },
    });
  });
  // #endif
  return picked;
}
