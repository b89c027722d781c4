import { z } from 'zod';
import { endpoint, merchantCan } from './endpoint';
import { idParamsSchema, okSchema } from './common';
import {
  orderSettingsInputSchema,
  orderSettingsSchema,
  shippingTemplateInputSchema,
  shippingTemplateSchema,
} from './shipping';

/** The shipping endpoints of `/merchant-api/v1` (composed in api.ts). */
export const shippingMerchantEndpoints = {
  getOrderSettings: endpoint({
    method: 'get',
    path: '/order-settings',
    summary: 'Payment window and auto-confirm days',
    tags: ['merchant: orders'],
    access: merchantCan('order:order:read'),
    response: orderSettingsSchema,
  }),
  updateOrderSettings: endpoint({
    method: 'put',
    path: '/order-settings',
    summary: 'Change the payment window and auto-confirm days (new orders)',
    tags: ['merchant: orders'],
    access: merchantCan('order:settings:manage'),
    body: orderSettingsInputSchema,
    response: orderSettingsSchema,
  }),
  listShippingTemplates: endpoint({
    method: 'get',
    path: '/shipping-templates',
    summary: 'Shipping templates, the default first',
    tags: ['merchant: shipping'],
    access: merchantCan('order:order:read'),
    response: z.array(shippingTemplateSchema),
  }),
  createShippingTemplate: endpoint({
    method: 'post',
    path: '/shipping-templates',
    summary:
      'Add a shipping template (by piece, weight or volume: first units and each additional, free conditions, by region)',
    tags: ['merchant: shipping'],
    access: merchantCan('order:settings:manage'),
    body: shippingTemplateInputSchema,
    response: shippingTemplateSchema,
    status: 201,
  }),
  updateShippingTemplate: endpoint({
    method: 'put',
    path: '/shipping-templates/:id',
    summary: 'Change a shipping template',
    tags: ['merchant: shipping'],
    access: merchantCan('order:settings:manage'),
    params: idParamsSchema,
    body: shippingTemplateInputSchema,
    response: shippingTemplateSchema,
  }),
  deleteShippingTemplate: endpoint({
    method: 'delete',
    path: '/shipping-templates/:id',
    summary: 'Delete a shipping template that is not the default and that no product uses',
    tags: ['merchant: shipping'],
    access: merchantCan('order:settings:manage'),
    params: idParamsSchema,
    response: okSchema,
  }),
};
