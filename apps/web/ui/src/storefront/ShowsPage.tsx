import { useEffect, useState } from 'react';
import { formatDate, formatMoney, request, type Show } from '../app/api';
import { troubleOf, type Trouble } from '../app/problems';
import { Link } from '../app/router';
import { ErrorBox, Loading } from './parts';

/** What is on sale: every published show, soonest first. */
export function ShowsPage() {
  const [shows, setShows] = useState<Show[] | null>(null);
  const [trouble, setTrouble] = useState<Trouble | null>(null);
  const load = () => {
    setTrouble(null);
    request<Show[]>('/shows').then(
      (list) => setShows([...list].sort((a, b) => a.startsAt.localeCompare(b.startsAt))),
      (error: unknown) => setTrouble(troubleOf(error)),
    );
  };
  useEffect(load, []);
  if (trouble) return <ErrorBox trouble={trouble} onRetry={load} />;
  if (!shows) return <Loading what="shows" />;
  return (
    <article>
      <h1>On sale</h1>
      {shows.length === 0 && <p className="muted">Nothing on sale right now.</p>}
      <ul className="show-list" data-testid="show-list">
        {shows.map((show) => {
          const cheapest = [...show.priceTiers].sort((a, b) => a.priceMinor - b.priceMinor)[0];
          return (
            <li key={show.id} className="show-card">
              <Link to={`/shows/${show.id}`}>
                <h2>{show.title}</h2>
                <p className="muted">{formatDate(show.startsAt)}</p>
                {cheapest && <p>from {formatMoney(cheapest)}</p>}
              </Link>
            </li>
          );
        })}
      </ul>
    </article>
  );
}
