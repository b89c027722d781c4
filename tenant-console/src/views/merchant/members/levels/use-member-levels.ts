import { computed, onMounted, ref, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage, ElMessageBox } from 'element-plus';
import type { MemberLevel } from '@shopfleet/contracts';
import { deleteMemberLevel, listMemberLevels } from '@/api/members';
import { useMerchantSessionStore } from '@/stores/merchant-session';
import { memberPriceValue } from '../member-parts';

/** A member price (a percent of the price) as the reader's language says it: 9.5 折, 95% of the price; 不打折 at 100. */
export function useMemberPriceText() {
  const { t, locale } = useI18n();
  return (percent: number): string => {
    const value = memberPriceValue(percent, locale.value);
    return value === null ? t('members.levels.noDiscount') : t('members.levels.discountValue', { value });
  };
}

/** The shop's levels, lowest first; adding, editing (in a dialog) and removing one (after a confirm). */
export function useMemberLevels() {
  const { t } = useI18n();
  const session = useMerchantSessionStore();
  const canManage = computed(() => session.can('customer:member:manage'));
  const levels = shallowRef<MemberLevel[]>([]);
  const loading = ref(false);
  const busyId = ref<number | null>(null);

  async function load(): Promise<void> {
    loading.value = true;
    try {
      levels.value = await listMemberLevels();
    } catch {
      // Shown by the request client.
    } finally {
      loading.value = false;
    }
  }

  const dialogOpen = ref(false);
  /** The level being edited; null: a new one. */
  const editing = shallowRef<MemberLevel | null>(null);
  function openNew(): void {
    editing.value = null;
    dialogOpen.value = true;
  }
  function openEdit(level: MemberLevel): void {
    editing.value = level;
    dialogOpen.value = true;
  }
  async function saved(): Promise<void> {
    dialogOpen.value = false;
    await load();
  }

  async function remove(level: MemberLevel): Promise<void> {
    try {
      await ElMessageBox.confirm(
        t('members.levels.deleteConfirm', { name: level.name, count: level.members }),
        t('members.levels.deleteTitle'),
        { type: 'warning', confirmButtonText: t('common.delete'), cancelButtonText: t('common.cancel') },
      );
    } catch {
      return;
    }
    busyId.value = level.id;
    try {
      await deleteMemberLevel(level.id);
      ElMessage.success(t('members.levels.deleted', { name: level.name }));
      await load();
    } catch {
      // Shown by the request client.
    } finally {
      busyId.value = null;
    }
  }

  onMounted(load);

  return { canManage, levels, loading, load, busyId, dialogOpen, editing, openNew, openEdit, saved, remove };
}
