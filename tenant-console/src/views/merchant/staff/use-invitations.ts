import { computed, onMounted, reactive, ref, shallowRef, useTemplateRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage, ElMessageBox, type FormInstance, type FormRules } from 'element-plus';
import type { Invitation, MerchantRole } from '@shopfleet/contracts';
import { MERCHANT_ROLES, PHONE_PATTERN } from '@shopfleet/contracts/constants';
import { createInvitation, listInvitations, revokeInvitation, type CreateInvitationBody } from '@/api/invitations';
import { useMerchantSessionStore } from '@/stores/merchant-session';

export interface InvitationForm {
  email: string;
  phone: string;
  role: MerchantRole;
}

/** Invitations to join the shop: the list, inviting by email or phone, and revoking a pending one. */
export function useInvitations() {
  const { t } = useI18n();
  const session = useMerchantSessionStore();
  const canManage = computed(() => session.can('staff:member:manage'));

  const invitations = shallowRef<Invitation[]>([]);
  const loading = ref(false);

  async function load(): Promise<void> {
    if (!canManage.value) return;
    loading.value = true;
    try {
      invitations.value = await listInvitations();
    } catch {
      invitations.value = [];
    } finally {
      loading.value = false;
    }
  }

  // ---- the invite dialog ----
  const dialogOpen = ref(false);
  const formRef = useTemplateRef<FormInstance>('invitationForm');
  const form = reactive<InvitationForm>({ email: '', phone: '', role: 'staff' });
  const creating = ref(false);
  /** The invitation just created; its accept link is shown once. */
  const created = ref<Invitation | null>(null);

  const rules = computed<FormRules<InvitationForm>>(() => ({
    email: [
      { type: 'email', message: t('login.emailInvalid'), trigger: 'blur' },
      {
        trigger: 'blur',
        validator: (_rule, _value, callback) =>
          form.email.trim() || form.phone.trim() ? callback() : callback(new Error(t('invitations.contactRequired'))),
      },
    ],
    phone: [{ pattern: PHONE_PATTERN, message: t('signup.phoneInvalid'), trigger: 'blur' }],
    role: [{ required: true, message: t('invitations.roleRequired'), trigger: 'change' }],
  }));

  function openDialog(): void {
    Object.assign(form, { email: '', phone: '', role: 'staff' });
    created.value = null;
    dialogOpen.value = true;
    formRef.value?.clearValidate();
  }

  async function submit(): Promise<void> {
    const valid = await formRef.value?.validate().catch(() => false);
    if (!valid) return;
    const email = form.email.trim();
    const phone = form.phone.trim();
    const body: CreateInvitationBody = { role: form.role, ...(email ? { email } : {}), ...(phone ? { phone } : {}) };
    creating.value = true;
    try {
      created.value = await createInvitation(body);
      ElMessage.success(t('invitations.created'));
      await load();
    } catch {
      // Shown by the request client; the dialog keeps the input.
    } finally {
      creating.value = false;
    }
  }

  /** The accept link as an absolute address, so it can be pasted anywhere. */
  const acceptUrl = computed(() => {
    const url = created.value?.acceptUrl;
    if (!url) return '';
    try {
      return new URL(url, window.location.origin).toString();
    } catch {
      return url;
    }
  });

  async function copyAcceptUrl(): Promise<void> {
    if (!acceptUrl.value) return;
    try {
      await navigator.clipboard.writeText(acceptUrl.value);
      ElMessage.success(t('invitations.copied'));
    } catch {
      ElMessage.warning(t('invitations.copyFailed'));
    }
  }

  async function revoke(invitation: Invitation): Promise<void> {
    const who = invitation.email ?? invitation.phoneMasked ?? `#${invitation.id}`;
    try {
      await ElMessageBox.confirm(t('invitations.revokeConfirm', { who }), t('invitations.revoke'), {
        type: 'warning',
        confirmButtonText: t('invitations.revoke'),
        cancelButtonText: t('common.cancel'),
      });
    } catch {
      return;
    }
    try {
      await revokeInvitation(invitation.id);
      ElMessage.success(t('invitations.revoked'));
      await load();
    } catch {
      // Shown by the request client.
    }
  }

  onMounted(load);

  return {
    canManage,
    invitations,
    loading,
    load,
    roles: MERCHANT_ROLES,
    dialogOpen,
    form,
    rules,
    creating,
    created,
    acceptUrl,
    openDialog,
    submit,
    copyAcceptUrl,
    revoke,
  };
}
