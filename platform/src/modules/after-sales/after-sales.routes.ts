import type { merchantApi, platformApi, shopApi } from '@shopfleet/contracts';
import type { Handlers } from '../../kernel/http/endpoint-router';
import type { AfterSalesService } from './after-sales.service';
import type { ComplaintsService } from './complaints.service';

/** The merchant's after-sales endpoints the module answers alone (agreeing and receiving, which refund, are workflows). */
export function merchantAfterSalesHandlers(afterSales: AfterSalesService) {
  return {
    listAfterSales: (ctx, { query }) => afterSales.list(ctx, query),
    afterSalesCounts: (ctx) => afterSales.counts(ctx),
    getAfterSalesSettings: (ctx) => afterSales.settingsOf(ctx),
    updateAfterSalesSettings: (ctx, { body }) => afterSales.updateSettings(ctx, body),
    getAfterSales: (ctx, { params }) => afterSales.get(ctx, params.id),
    refuseAfterSales: (ctx, { params, body }) => afterSales.refuse(ctx, params.id, body),
    refuseReceiptAfterSales: (ctx, { params, body }) => afterSales.refuseReceipt(ctx, params.id, body),
    reshipAfterSales: (ctx, { params, body }) => afterSales.reship(ctx, params.id, body),
    listReturnAddresses: (ctx) => afterSales.addresses(ctx),
    createReturnAddress: (ctx, { body }) => afterSales.addAddress(ctx, body),
    updateReturnAddress: (ctx, { params, body }) => afterSales.updateAddress(ctx, params.id, body),
    deleteReturnAddress: (ctx, { params }) => afterSales.deleteAddress(ctx, params.id),
  } satisfies Partial<Handlers<typeof merchantApi>>;
}

/** The shopper's after-sales endpoints the module answers alone (a request, which reads the order, is a workflow). */
export function shopAfterSalesHandlers(afterSales: AfterSalesService) {
  return {
    myAfterSales: (ctx, { query }) => afterSales.mine(ctx, query),
    myAfterSalesCounts: (ctx) => afterSales.counts(ctx, true),
    getMyAfterSales: (ctx, { params }) => afterSales.mineOne(ctx, params.id),
    cancelAfterSales: (ctx, { params }) => afterSales.cancel(ctx, params.id),
    shipBackAfterSales: (ctx, { params, body }) => afterSales.shipBack(ctx, params.id, body),
    confirmReplacement: (ctx, { params }) => afterSales.confirmReplacement(ctx, params.id),
    uploadAfterSalesPhoto: (ctx, { file }) => afterSales.uploadPhoto(ctx, file!.buffer),
  } satisfies Partial<Handlers<typeof shopApi>>;
}

/** The merchant's complaint endpoints (answering what the shop is accused of). */
export function merchantComplaintHandlers(complaints: ComplaintsService) {
  return {
    listComplaints: (ctx, { query }) => complaints.list(ctx, query),
    complaintCounts: (ctx) => complaints.counts(ctx),
    getComplaint: (ctx, { params }) => complaints.get(ctx, params.id),
    answerComplaint: (ctx, { params, body }) => complaints.answer(ctx, params.id, body),
  } satisfies Partial<Handlers<typeof merchantApi>>;
}

/** The shopper's complaint endpoints the module answers alone (filing one reads the order: a workflow). */
export function shopComplaintHandlers(complaints: ComplaintsService) {
  return {
    myComplaints: (ctx, { query }) => complaints.mine(ctx, query),
    myComplaintCounts: (ctx) => complaints.myCounts(ctx),
    getMyComplaint: (ctx, { params }) => complaints.mineOne(ctx, params.id),
    addComplaintStatement: (ctx, { params, body }) => complaints.addMine(ctx, params.id, body),
    withdrawComplaint: (ctx, { params }) => complaints.withdraw(ctx, params.id),
  } satisfies Partial<Handlers<typeof shopApi>>;
}

/** The platform's arbitration queue (deciding, which refunds, is a workflow). */
export function platformComplaintHandlers(complaints: ComplaintsService) {
  return {
    arbitrationQueue: (ctx, { query }) => complaints.queue(ctx, query),
  } satisfies Partial<Handlers<typeof platformApi>>;
}
