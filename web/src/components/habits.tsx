// The habits the server ranks — the strongest, and what to practise next — each with the figures
// behind it. Shown on a practice's report and, over your latest answers, on the progress page.
import { formatFigure, type Figure, type Report } from '../history.ts';
import { useI18n } from '../i18n/index.ts';

export type Habit = Report['habits'][number];

export function HabitItem({ item, figures }: { item: Habit; figures: Map<string, Figure> }) {
  const i18n = useI18n();
  const h = i18n.t.history;
  return (
    <li class="habit" data-habit={item.habit}>
      <strong>{item.label}</strong>{' '}
      <span class="muted small tabular">{h.habitScore(i18n.percent(item.score), item.measured)}</span>
      <ul class="habit-figures small">
        {item.figures.map((figure) => {
          const definition = figures.get(figure.key)!;
          return (
            <li key={figure.key}>
              {definition.label}: {formatFigure(definition, figure.mean, i18n, true)}
            </li>
          );
        })}
      </ul>
    </li>
  );
}

/** The two lists side by side, each with what it means when it is empty. */
export function HabitColumns({
  strongest,
  practiseNext,
  figures,
}: {
  strongest: Habit[];
  practiseNext: Habit[];
  figures: Map<string, Figure>;
}) {
  const h = useI18n().t.history;
  const columns = [
    {
      id: 'strongest',
      className: 'habits-strong',
      icon: '✓',
      title: h.strongest,
      items: strongest,
      none: h.noStrongest,
    },
    {
      id: 'practise',
      className: 'habits-practise',
      icon: '▲',
      title: h.practiseNext,
      items: practiseNext,
      none: h.noPractise,
    },
  ];
  return (
    <div class="two-columns">
      {columns.map((column) => (
        <section key={column.id} class={`panel ${column.className}`} aria-labelledby={`${column.id}-title`}>
          <h2 id={`${column.id}-title`}>
            <span aria-hidden="true">{column.icon} </span>
            {column.title}
          </h2>
          {column.items.length ? (
            <ul class="habits">
              {column.items.map((item) => (
                <HabitItem key={item.habit} item={item} figures={figures} />
              ))}
            </ul>
          ) : (
            <p class="muted">{column.none}</p>
          )}
        </section>
      ))}
    </div>
  );
}
