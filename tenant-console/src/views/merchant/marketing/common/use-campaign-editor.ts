import { computed, nextTick } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRouter } from 'vue-router';
import { ElMessage } from 'element-plus';
import { useMerchantSessionStore } from '@/stores/merchant-session';
import type { ConsolePermission } from '@/stores/permissions';
import type { FormErrorsOptions } from './form-errors';
import { useFormSave } from './use-form-save';

export interface CampaignEditorOptions<B> extends FormErrorsOptions {
  /** Saving needs it; without it the form is read-only. */
  permission: ConsolePermission;
  /** The campaign list the page comes back to, saved or not. */
  listRoute: string;
  /** The body to send, or null with the errors marked. */
  bodyOf: () => B | null;
  create: (body: B) => Promise<{ name: string }>;
  /** The success message, taking the campaign's {name}. */
  createdText: string;
}

/** The first error the reader sees: a field's (el-form-item), or a row's (a tier, an item). */
function scrollToFirstError(): void {
  void nextTick(() =>
    document
      .querySelector('.sf-field-error, .el-form-item.is-error')
      ?.scrollIntoView({ block: 'center', behavior: 'smooth' }),
  );
}

/**
 * The page of a new campaign: who may save it, its errors, and the save — the form's own checks first, then the
 * server's, whose issues go next to their fields — which goes back to the list once created.
 */
export function useCampaignEditor<B>(options: CampaignEditorOptions<B>) {
  const { t } = useI18n();
  const router = useRouter();
  const session = useMerchantSessionStore();
  const canManage = computed(() => session.can(options.permission));
  const { run, ...state } = useFormSave(options);

  async function save(): Promise<void> {
    if (!canManage.value) return;
    const body = options.bodyOf();
    if (!body) {
      ElMessage.error(t('marketing.form.fixErrors'));
      scrollToFirstError();
      return;
    }
    const created = await run(async () => {
      const campaign = await options.create(body);
      ElMessage.success(t(options.createdText, { name: campaign.name }));
      await router.push({ name: options.listRoute });
    });
    if (!created) scrollToFirstError();
  }

  function cancel(): void {
    void router.push({ name: options.listRoute });
  }

  return { canManage, ...state, save, cancel };
}

export type CampaignEditor = ReturnType<typeof useCampaignEditor>;
