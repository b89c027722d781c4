import { ref, watch, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage } from 'element-plus';
import { useFormSave } from './use-form-save';

export interface CopyDialogOptions<S, P> {
  /** The dialog's v-model: the copy starts afresh each time it opens. */
  open: Ref<boolean>;
  /** The campaign copied. */
  source: () => S | null;
  nameMax: number;
  /** The form's field of a server issue on the periods. */
  periodFieldOf: (head: string | undefined) => string | null;
  /** The copy's periods as the dialog opens, from the campaign's own. */
  startPeriods: (source: S) => void;
  /** The periods as the copy takes them, or null with their errors marked by `set`. */
  periodsBody: (set: (key: string, message: string) => void) => P | null;
  copy: (id: number, body: { name: string } & P) => Promise<{ name: string }>;
  /** The success message, taking the copy's {name}. */
  copiedText: string;
  copied: () => void;
}

/**
 * A copy dialog: the same rules under a new name (the campaign's, marked as a copy and cut to the limit) over new
 * periods, which the dialog's form holds. The name and the periods are checked before the copy is asked for.
 */
export function useCopyDialog<S extends { id: number; name: string }, P>(options: CopyDialogOptions<S, P>) {
  const { t } = useI18n();
  const name = ref('');
  const state = useFormSave({ fieldOf: ([head]) => (head === 'name' ? 'name' : options.periodFieldOf(head)) });

  watch(options.open, (value) => {
    const source = options.source();
    if (!value || !source) return;
    name.value = t('marketing.copyName', { name: source.name }).slice(0, options.nameMax);
    options.startPeriods(source);
    state.clear();
  });

  async function save(): Promise<void> {
    const source = options.source();
    if (!source) return;
    state.clear();
    const trimmed = name.value.trim();
    if (!trimmed) state.set('name', t('marketing.form.nameRequired'));
    const periods = options.periodsBody(state.set);
    if (!trimmed || !periods) return;
    await state.run(async () => {
      const copy = await options.copy(source.id, { name: trimmed, ...periods });
      ElMessage.success(t(options.copiedText, { name: copy.name }));
      options.copied();
    });
  }

  return { name, state, save };
}
