// Each screen names itself in the tab and window title, for screen readers and for history.
import { useEffect } from 'preact/hooks';
import { useI18n } from '../i18n/index.ts';

export function usePageTitle(title: string | null | undefined): void {
  const { t } = useI18n();
  useEffect(() => {
    document.title = title ? `${title} · ${t.appName}` : t.appName;
  }, [title, t]);
}
