import type { Trouble } from '../app/problems';

export function Loading({ what }: { what?: string }) {
  return <p className="muted loading">Loading{what ? ` the ${what}` : ''}…</p>;
}

/** An error as the buyer should read it, with a retry button where trying again may help. */
export function ErrorBox({ trouble, onRetry }: { trouble: Trouble; onRetry?: () => void }) {
  return (
    <div className="error" role="alert">
      <p>{trouble.message}</p>
      {trouble.retry && onRetry && (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
