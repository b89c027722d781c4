import type { merchantApi, platformApi } from '@shopfleet/contracts';
import { requireTenant } from '../../kernel/context';
import type { Handlers } from '../../kernel/http/endpoint-router';
import type { PackagesService } from './packages.service';
import type { TemplatesService } from './templates.service';

export function platformReleaseHandlers(templates: TemplatesService) {
  return {
    listTemplateVersions: (_ctx, { query }) => templates.list(query),
    createTemplateVersion: (ctx, { body }) => templates.create(ctx, body),
    getTemplateVersionLog: async (_ctx, { params }) => ({ log: await templates.log(params.id) }),
  } satisfies Partial<Handlers<typeof platformApi>>;
}

export function merchantReleaseHandlers(packages: PackagesService) {
  return {
    getMiniappPackage: (ctx) => packages.latest(requireTenant(ctx)),
  } satisfies Partial<Handlers<typeof merchantApi>>;
}
