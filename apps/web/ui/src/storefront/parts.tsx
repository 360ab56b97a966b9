import { useEffect, useState } from 'react';
import { webConfig } from '../app/api';
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

/** "in Jaeger": the trace in the trace backend's own UI, when the web app knows one (TRACES_URL); nothing otherwise. */
export function JaegerLink({ traceId }: { traceId: string }) {
  const [href, setHref] = useState<string | null>(null);
  useEffect(() => {
    let stopped = false;
    webConfig()
      .then((config) => {
        if (!stopped && config.tracesUrl) setHref(`${config.tracesUrl}/trace/${traceId}`);
      })
      .catch(() => undefined);
    return () => {
      stopped = true;
    };
  }, [traceId]);
  if (!href) return null;
  return (
    <a className="trace-link" data-testid="trace-jaeger-link" href={href} target="_blank" rel="noreferrer" title="The same trace in Jaeger">
      in Jaeger
    </a>
  );
}
