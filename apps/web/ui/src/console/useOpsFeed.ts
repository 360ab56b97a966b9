import { useState } from 'react';
import { request } from '../app/api';
import { usePolling } from '../app/polling';
import { troubleOf, type Trouble } from '../app/problems';
import type { ConsumerGroups, DeadLetters, OutboxBacklog, SagasInFlight, Topology } from './views';

/** How often the console reads the system's state again. */
export const REFRESH_MILLIS = 3000;
/** Readings kept for the sparklines: the last five minutes, in this page's memory only. */
const HISTORY = Math.round((5 * 60 * 1000) / REFRESH_MILLIS);

export interface OpsState {
  topology?: Topology;
  outbox?: OutboxBacklog;
  groups?: ConsumerGroups;
  sagas?: SagasInFlight;
  deadLetters?: DeadLetters;
  /** Why a view could not be read this time, by view; the last good answer stays shown. */
  troubles: Record<string, Trouble>;
  lagHistory: number[];
  sagaHistory: number[];
  readAt?: Date;
}

const VIEWS = { topology: 'topology', outbox: 'outbox', groups: 'consumer-groups', sagas: 'sagas', deadLetters: 'dead-letters' } as const;

/** Every operations view, read as the admin every few seconds, each on its own so one failing leaves the others. */
export function useOpsFeed(token: string): OpsState {
  const [state, setState] = useState<OpsState>({ troubles: {}, lagHistory: [], sagaHistory: [] });
  usePolling(
    async (signal) => {
      const answers = await Promise.allSettled(Object.values(VIEWS).map((route) => request<unknown>(`/admin/ops/${route}`, { token, signal })));
      if (signal.aborted) return;
      setState((previous) => {
        const next: OpsState = { ...previous, troubles: {}, readAt: new Date() };
        Object.keys(VIEWS).forEach((key, i) => {
          const answer = answers[i]!;
          if (answer.status === 'fulfilled') (next as unknown as Record<string, unknown>)[key] = answer.value;
          else next.troubles[key] = troubleOf(answer.reason);
        });
        const groups = answers[2]!.status === 'fulfilled' ? (answers[2].value as ConsumerGroups) : undefined;
        const sagas = answers[3]!.status === 'fulfilled' ? (answers[3].value as SagasInFlight) : undefined;
        if (groups) next.lagHistory = [...previous.lagHistory, groups.groups.reduce((sum, g) => sum + g.lag, 0)].slice(-HISTORY);
        if (sagas) next.sagaHistory = [...previous.sagaHistory, sagas.inFlight].slice(-HISTORY);
        return next;
      });
    },
    REFRESH_MILLIS,
    [token],
  );
  return state;
}
