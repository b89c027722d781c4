import type { ShippingTemplate, ShippingTemplateInput } from '@shopfleet/contracts';
import { merchantHttp } from './request';

/** GET /merchant-api/v1/shipping-templates: the default first. */
export function listShippingTemplates(): Promise<ShippingTemplate[]> {
  return merchantHttp.get<ShippingTemplate[]>('/shipping-templates');
}

/** POST /merchant-api/v1/shipping-templates (201): a flat fee, free above an amount, by region (at most SHIPPING_TEMPLATES_MAX). */
export function createShippingTemplate(body: ShippingTemplateInput): Promise<ShippingTemplate> {
  return merchantHttp.post<ShippingTemplate>('/shipping-templates', body);
}

/** PUT /merchant-api/v1/shipping-templates/:id: replaces the template. */
export function updateShippingTemplate(id: number, body: ShippingTemplateInput): Promise<ShippingTemplate> {
  return merchantHttp.put<ShippingTemplate>(`/shipping-templates/${id}`, body);
}

/** DELETE /merchant-api/v1/shipping-templates/:id: not the default one. */
export function deleteShippingTemplate(id: number): Promise<{ ok: true }> {
  return merchantHttp.delete<{ ok: true }>(`/shipping-templates/${id}`);
}
