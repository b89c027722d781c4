import { FIRST_STEPS, type FirstStep, type FirstSteps } from '@shopfleet/contracts';
import type { TenantContext } from '../../kernel/context';
import type { CatalogService } from '../catalog';
import type { PaymentSettingsService } from '../payments';
import type { MpReleasesService } from '../releases';
import type { TenantsService } from '../tenants';

export interface FirstStepsDeps {
  catalog: Pick<CatalogService, 'listProducts'>;
  paymentSettings: Pick<PaymentSettingsService, 'get'>;
  tenants: Pick<TenantsService, 'mustGet'>;
  releases: Pick<MpReleasesService, 'everReleased'>;
}

/**
 * An approved shop's first steps: add products → set up payment → decorate → release the
 * mini-program. Each is ticked from the shop's own data, read through the module that owns it, so a
 * step is never marked by hand and never out of date.
 */
export function firstStepsService(deps: FirstStepsDeps) {
  const checks: Record<FirstStep, (ctx: TenantContext) => Promise<boolean>> = {
    products: async (ctx) => (await deps.catalog.listProducts(ctx, { page: 1, pageSize: 1 })).total > 0,
    // A real channel: the sandbox of test mode takes no money.
    payment: async (ctx) => {
      const settings = await deps.paymentSettings.get(ctx);
      return settings.wechat !== null || settings.alipay !== null;
    },
    appearance: async (ctx) => (await deps.tenants.mustGet(ctx.tenantId)).appearance !== null,
    release: (ctx) => deps.releases.everReleased(ctx),
  };

  return {
    /** The first steps of the caller's shop, in order, each done or not. */
    async get(ctx: TenantContext): Promise<FirstSteps> {
      const done = await Promise.all(FIRST_STEPS.map((key) => checks[key](ctx)));
      const steps = FIRST_STEPS.map((key, i) => ({ key, done: done[i]! }));
      return { steps, allDone: steps.every((s) => s.done) };
    },
  };
}

export type FirstStepsService = ReturnType<typeof firstStepsService>;
