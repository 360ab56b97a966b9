import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { formatDate, request } from '../app/api';
import { troubleOf, type Trouble } from '../app/problems';
import { ErrorBox } from '../storefront/parts';
import type { AdminShow } from './views';

/** A week from now at 20:00 UTC, as the form's first suggestion. */
function nextWeek(): string {
  const date = new Date(Date.now() + 7 * 24 * 3600 * 1000);
  date.setUTCHours(20, 0, 0, 0);
  return date.toISOString().slice(0, 16);
}

/** Venues and shows: every show, drafts included, with create (a venue and its show), publish and cancel. */
export function ShowsAdmin({ token }: { token: string }) {
  const [shows, setShows] = useState<AdminShow[] | null>(null);
  const [trouble, setTrouble] = useState<Trouble | null>(null);
  const [busy, setBusy] = useState(false);
  const [form, setForm] = useState({ title: '', venue: '', startsAt: nextWeek(), rows: 4, seatsPerRow: 10, price: 45 });

  const reload = useCallback(async () => {
    try {
      setShows(await request<AdminShow[]>('/admin/shows', { token }));
    } catch (error) {
      setTrouble(troubleOf(error));
    }
  }, [token]);
  useEffect(() => void reload(), [reload]);

  const act = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setTrouble(null);
    try {
      await work();
      await reload();
    } catch (error) {
      setTrouble(troubleOf(error));
    } finally {
      setBusy(false);
    }
  };

  const create = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => {
      const venue = await request<{ id: string }>('/admin/venues', {
        method: 'POST',
        token,
        body: { name: form.venue.trim() || `${form.title.trim()} hall`, sections: [{ code: 'A', rows: form.rows, seatsPerRow: form.seatsPerRow, priceTier: 'STD' }] },
      });
      await request('/admin/shows', {
        method: 'POST',
        token,
        body: { venueId: venue.id, title: form.title.trim(), startsAt: new Date(`${form.startsAt}Z`).toISOString(), priceTiers: [{ code: 'STD', priceMinor: Math.round(form.price * 100), currency: 'EUR' }] },
      });
      setForm((f) => ({ ...f, title: '', venue: '' }));
    });
  };

  return (
    <section className="panel" data-testid="shows-admin">
      <h2>Venues and shows</h2>
      <form className="create-show" onSubmit={create}>
        <label>
          Title
          <input name="title" required maxLength={200} value={form.title} onChange={(e) => setForm({ ...form, title: e.target.value })} />
        </label>
        <label>
          Venue name
          <input name="venue" maxLength={200} placeholder="the title’s hall" value={form.venue} onChange={(e) => setForm({ ...form, venue: e.target.value })} />
        </label>
        <label>
          Starts at (UTC)
          <input name="startsAt" type="datetime-local" required value={form.startsAt} onChange={(e) => setForm({ ...form, startsAt: e.target.value })} />
        </label>
        <label>
          Rows
          <input name="rows" type="number" min={1} max={200} required value={form.rows} onChange={(e) => setForm({ ...form, rows: Number(e.target.value) })} />
        </label>
        <label>
          Seats a row
          <input name="seatsPerRow" type="number" min={1} max={200} required value={form.seatsPerRow} onChange={(e) => setForm({ ...form, seatsPerRow: Number(e.target.value) })} />
        </label>
        <label>
          Price (EUR)
          <input name="price" type="number" min={0} step="0.01" required value={form.price} onChange={(e) => setForm({ ...form, price: Number(e.target.value) })} />
        </label>
        <button type="submit" disabled={busy}>
          Create draft
        </button>
      </form>
      {trouble && <ErrorBox trouble={trouble} onRetry={() => void reload()} />}
      <table>
        <thead>
          <tr>
            <th>Show</th>
            <th>Starts</th>
            <th>Status</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(shows ?? []).map((show) => (
            <tr key={show.id} data-testid="admin-show" data-show-id={show.id} data-status={show.status}>
              <td>{show.title}</td>
              <td>{formatDate(show.startsAt)}</td>
              <td>
                <span className={`badge badge-${show.status}`}>{show.status}</span>
              </td>
              <td className="actions">
                {show.status === 'draft' && (
                  <button type="button" disabled={busy} onClick={() => void act(() => request(`/admin/shows/${show.id}/publish`, { method: 'POST', token }))}>
                    Publish
                  </button>
                )}
                {show.status !== 'cancelled' && (
                  <button
                    type="button"
                    disabled={busy}
                    onClick={() => {
                      if (window.confirm(`Cancel “${show.title}”? Every order that bought seats is refunded.`)) void act(() => request(`/admin/shows/${show.id}/cancel`, { method: 'POST', token }));
                    }}
                  >
                    Cancel
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {shows?.length === 0 && <p className="muted">No shows yet.</p>}
    </section>
  );
}
