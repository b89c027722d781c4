import { useI18n } from 'vue-i18n';
import type { Complaint } from '@shopfleet/contracts';

type Wechatpay = NonNullable<Complaint['wechatpay']>;

/**
 * How the complaint pages (the merchant's 投诉 and the platform's 投诉仲裁) say a complaint's source, reason, state,
 * sides and WeChat Pay states in the console's language. A WeChat Pay state the console does not know is shown as
 * WeChat Pay sent it.
 */
export function useComplaintText() {
  const { t, te } = useI18n();
  const base = 'afterSales.complaints';

  function wechatState(state: Wechatpay['state']): string {
    return te(`${base}.wechatpay.states.${state}`) ? t(`${base}.wechatpay.states.${state}`) : state || '—';
  }

  return {
    sourceLabel: (source: Complaint['source']) => t(`${base}.source.${source}`),
    reasonLabel: (reason: Complaint['reason']) => t(`${base}.reason.${reason}`),
    statusLabel: (status: Complaint['status']) => t(`${base}.status.${status}`),
    sideLabel: (side: Complaint['statements'][number]['side']) => t(`${base}.side.${side}`),
    replyLabel: (state: Wechatpay['replyState']) => (state ? t(`${base}.wechatpay.replyStates.${state}`) : '—'),
    wechatState,
  };
}
