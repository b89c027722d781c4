import { ref, shallowRef, watch, type Ref } from 'vue';
import type { TemplateVersion } from '@shopfleet/contracts';
import { getTemplateVersionLog } from '@/api/templates';

/**
 * The build log of one version, in a dialog. While the version is building, the log is read again each
 * time the list is (every 3 s), and once more when the build ends.
 */
export function useTemplateLog(items: Ref<readonly TemplateVersion[]>) {
  const logOpen = ref(false);
  /** The version whose log is shown, as the list last showed it. */
  const logVersion = shallowRef<TemplateVersion | null>(null);
  /** null until the log has been read (or when reading it failed). */
  const log = ref<string | null>(null);
  const logLoading = ref(false);
  let latest = 0;

  async function loadLog(): Promise<void> {
    const version = logVersion.value;
    if (!version) return;
    const ticket = ++latest;
    logLoading.value = true;
    try {
      const result = await getTemplateVersionLog(version.id);
      if (ticket === latest) log.value = result.log;
    } catch {
      // Shown by the request client; a log read before stays.
    } finally {
      if (ticket === latest) logLoading.value = false;
    }
  }

  function openLog(version: TemplateVersion): void {
    logVersion.value = version;
    log.value = null;
    logOpen.value = true;
    void loadLog();
  }

  watch(items, (next) => {
    const shown = logVersion.value;
    if (!logOpen.value || !shown) return;
    const row = next.find((version) => version.id === shown.id);
    if (!row) return;
    logVersion.value = row;
    if (shown.status === 'building') void loadLog();
  });

  watch(logOpen, (open) => {
    if (open) return;
    // A late answer for a closed dialog is dropped.
    latest++;
    logLoading.value = false;
  });

  return { logOpen, logVersion, log, logLoading, openLog, loadLog };
}
