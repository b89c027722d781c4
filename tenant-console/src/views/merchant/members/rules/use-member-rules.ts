import { computed, onMounted, reactive, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage } from 'element-plus';
import type { MemberSettings } from '@shopfleet/contracts';
import { DEFAULT_MEMBER_SETTINGS } from '@shopfleet/contracts/constants';
import { getMemberSettings, updateMemberSettings } from '@/api/members';
import { useMerchantSessionStore } from '@/stores/merchant-session';
import { resizeRewards } from '../member-parts';

/** The shop's member rules as a form: loaded, edited, saved whole. */
export function useMemberRules() {
  const { t } = useI18n();
  const session = useMerchantSessionStore();
  const canManage = computed(() => session.can('customer:member:manage'));
  const form = reactive<MemberSettings>({
    ...DEFAULT_MEMBER_SETTINGS,
    signInRewards: [...DEFAULT_MEMBER_SETTINGS.signInRewards],
  });
  const loading = ref(false);
  const loaded = ref(false);
  const saving = ref(false);

  function fill(settings: MemberSettings): void {
    Object.assign(form, settings, { signInRewards: [...settings.signInRewards] });
  }

  async function load(): Promise<void> {
    loading.value = true;
    try {
      fill(await getMemberSettings());
      loaded.value = true;
    } catch {
      // Shown by the request client.
    } finally {
      loading.value = false;
    }
  }

  function addDay(): void {
    form.signInRewards = resizeRewards(form.signInRewards, form.signInRewards.length + 1);
  }
  function removeDay(): void {
    form.signInRewards = resizeRewards(form.signInRewards, form.signInRewards.length - 1);
  }

  async function save(): Promise<void> {
    if (saving.value) return;
    saving.value = true;
    try {
      fill(await updateMemberSettings({ ...form, signInRewards: [...form.signInRewards] }));
      ElMessage.success(t('members.rules.saved'));
    } catch {
      // Shown by the request client.
    } finally {
      saving.value = false;
    }
  }

  onMounted(load);

  return { canManage, form, loading, loaded, saving, load, save, addDay, removeDay };
}
