import { usePageTitle } from '../components/use-page-title.ts';
import { useI18n } from '../i18n/index.ts';

export function NotFound() {
  const { t } = useI18n();
  usePageTitle(t.notFound);
  return (
    <section class="page narrow">
      <h1>{t.notFound}</h1>
      <p>
        <a href="/">{t.goHome}</a>
      </p>
    </section>
  );
}
