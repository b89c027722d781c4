import type { NotificationTextCode, NotificationTextParams, RejectReason } from '@shopfleet/contracts';

/** The title and body of a notification in Chinese: stored with it, and what the email and the SMS say. */
export interface ChineseText {
  title: string;
  body: string;
}

const REJECT_REASON_TEXT: Record<RejectReason, string> = {
  unreadable: '图片不清晰，无法辨认',
  incomplete: '信息不完整',
  expired: '证件已过期',
  mismatch: '证件信息与填写的不一致',
  wrong_document: '上传的不是所需证件',
  not_authentic: '证件真实性存疑',
  other: '其他问题',
};

/** The Chinese of each text code, from its params (the console says the code itself, in zh-CN or en). */
const CHINESE: { [C in NotificationTextCode]: (p: NotificationTextParams<C>) => ChineseText } = {
  SHOP_ACTIVATED: () => ({ title: '店铺已开通', body: '全部资质审核通过，店铺已开通，可以开始经营了。' }),
  SHOP_REINSTATED_DOCUMENTS_APPROVED: () => ({
    title: '店铺已恢复营业',
    body: '更新的资质已审核通过，店铺恢复正常经营。',
  }),
  SHOP_SUSPENDED_BY_PLATFORM: (p) => ({ title: '店铺已被暂停', body: `平台暂停了你的店铺：${p.reason}` }),
  SHOP_REINSTATED_BY_PLATFORM: (p) => ({ title: '店铺已恢复营业', body: `平台恢复了你的店铺：${p.reason}` }),
  SHOP_SUSPENDED_DOCUMENT_LAPSED: (p) => ({
    title: '店铺已暂停',
    body: `${p.document.nameZh}过期超过 ${p.graceDays} 天，店铺已暂停接单和发布。上传新证件并通过审核后自动恢复。`,
  }),
  DOCUMENT_APPROVED: (p) => ({
    title: `${p.document.nameZh}审核通过`,
    body: `你提交的${p.document.nameZh}已审核通过。`,
  }),
  DOCUMENT_REJECTED: (p) => ({
    title: `${p.document.nameZh}未通过审核`,
    body: `原因：${REJECT_REASON_TEXT[p.reason]}。请修改后重新上传。`,
  }),
  DOCUMENT_REJECTED_WITH_NOTE: (p) => ({
    title: `${p.document.nameZh}未通过审核`,
    body: `原因：${REJECT_REASON_TEXT[p.reason]}（${p.note}）。请修改后重新上传。`,
  }),
  DOCUMENT_EXPIRING: (p) => ({
    title: `${p.document.nameZh}即将到期`,
    body: `${p.document.nameZh}将于 ${p.validTo} 到期，请尽快上传新的证件。`,
  }),
  DOCUMENT_EXPIRED: (p) => ({
    title: `${p.document.nameZh}已过期`,
    body: `${p.document.nameZh}已于 ${p.validTo} 过期。请在 ${p.graceDays} 天内上传新的证件，否则店铺将被暂停。`,
  }),
  COMPLAINT_FILED: (p) => ({
    title: '收到一条投诉',
    body: `订单 ${p.orderNo} 收到投诉（${p.complaintNo}），请在后台“售后 → 投诉”中说明店铺的情况，平台将据双方陈述作出处理。`,
  }),
  COMPLAINT_DECIDED_REFUND: (p) => ({
    title: '投诉已处理：退款',
    body: `平台已处理投诉 ${p.complaintNo}：向买家退款 ${p.amount}，原路退回。理由：${p.note}`,
  }),
  COMPLAINT_DECIDED_REFUSED: (p) => ({
    title: '投诉已处理：驳回',
    body: `平台已驳回投诉 ${p.complaintNo}。理由：${p.note}`,
  }),
  ORDER_PAID: (p) => ({ title: '新订单', body: `订单 ${p.orderNo} 已付款 ${p.amount}，请及时发货。` }),
  AFTER_SALES_REQUESTED: (p) => ({
    title: '新的售后申请',
    body: `订单 ${p.orderNo} 有新的售后申请（${p.caseNo}），请及时处理。`,
  }),
  REVIEW_POSTED: (p) => ({ title: '新的评价', body: `订单 ${p.orderNo} 收到 ${p.rating} 星评价。` }),
};

/** What a notification says: one of the text codes, with the params that code declares. */
export type NotificationText = {
  [C in NotificationTextCode]: { textCode: C; textParams: NotificationTextParams<C> };
}[NotificationTextCode];

/** The Chinese title and body of a text code with its params. */
export function chineseText(text: NotificationText): ChineseText {
  return (CHINESE[text.textCode] as (p: NotificationText['textParams']) => ChineseText)(text.textParams);
}
