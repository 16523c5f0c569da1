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
  return (
    <div class="two-columns">
      <section class="panel habits-strong" aria-labelledby="strongest-title">
        <h2 id="strongest-title">
          <span aria-hidden="true">✓ </span>
          {h.strongest}
        </h2>
        {strongest.length ? (
          <ul class="habits">
            {strongest.map((item) => (
              <HabitItem key={item.habit} item={item} figures={figures} />
            ))}
          </ul>
        ) : (
          <p class="muted">{h.noStrongest}</p>
        )}
      </section>
      <section class="panel habits-practise" aria-labelledby="practise-title">
        <h2 id="practise-title">
          <span aria-hidden="true">▲ </span>
          {h.practiseNext}
        </h2>
        {practiseNext.length ? (
          <ul class="habits">
            {practiseNext.map((item) => (
              <HabitItem key={item.habit} item={item} figures={figures} />
            ))}
          </ul>
        ) : (
          <p class="muted">{h.noPractise}</p>
        )}
      </section>
    </div>
  );
}
