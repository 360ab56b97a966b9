import { useState } from 'react';
import { troubleOf, type Trouble } from '../app/problems';
import { Link } from '../app/router';
import { signIn, useSession } from '../app/session';
import { ErrorBox } from '../storefront/parts';
import { OrdersPerSecond } from './OrdersPerSecond';
import { ShowsAdmin } from './ShowsAdmin';
import { Sparkline } from './Sparkline';
import { REFRESH_MILLIS, useOpsFeed, type OpsState } from './useOpsFeed';
import type { SagasInFlight } from './views';

/**
 * The operations console (issue 15, ADR 0035's data): the topology, consumer
 * lag, outbox backlogs, sagas in flight and dead letters, read every few
 * seconds; venues and shows. For the admin role: on a demo stack, the demo
 * user `admin`.
 */
export function ConsolePage() {
  const session = useSession();
  if (!session || session.username !== 'admin') return <AdminSignIn signedInAs={session?.username ?? null} />;
  return <Console token={session.token} />;
}

/** Asks for the demo admin: every console page is for admins. */
export function AdminSignIn({ signedInAs }: { signedInAs: string | null }) {
  const [trouble, setTrouble] = useState<Trouble | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <article className="narrow">
      <h1>Operations console</h1>
      <p>{signedInAs ? `You are signed in as ${signedInAs}, a customer. The console is for admins.` : 'The console is for admins.'}</p>
      <button
        type="button"
        className="primary"
        data-testid="admin-sign-in"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          setTrouble(null);
          signIn('admin')
            .catch((error: unknown) => setTrouble(troubleOf(error)))
            .finally(() => setBusy(false));
        }}
      >
        Sign in as the demo admin
      </button>
      <p className="muted small">A demo: the gateway’s demo tokens (DEMO_AUTH=true) give the user “admin” the admin role.</p>
      {trouble && <ErrorBox trouble={trouble} />}
    </article>
  );
}

function Console({ token }: { token: string }) {
  const ops = useOpsFeed(token);
  return (
    <article className="console" data-testid="console">
      <header className="page-header">
        <h1>Operations console</h1>
        <p className="muted small" data-testid="read-at">
          {ops.readAt ? `Read at ${ops.readAt.toLocaleTimeString('en-GB')}, again every ${REFRESH_MILLIS / 1000} s` : 'Reading…'}
        </p>
      </header>
      <div className="sparklines">
        <Sparkline values={ops.lagHistory} label="Consumer lag, all groups" testId="lag-sparkline" />
        <Sparkline values={ops.sagaHistory} label="Sagas in flight" testId="sagas-sparkline" />
        <OrdersPerSecond token={token} />
      </div>
      <TopologyPanel ops={ops} />
      <div className="console-grid">
        <ConsumerGroupsPanel ops={ops} />
        <div>
          <SagasPanel ops={ops} />
          <OutboxPanel ops={ops} />
        </div>
      </div>
      <DeadLettersPanel ops={ops} />
      <ShowsAdmin token={token} />
    </article>
  );
}

function Problem({ ops, view }: { ops: OpsState; view: string }) {
  const trouble = ops.troubles[view];
  return trouble ? <ErrorBox trouble={trouble} /> : null;
}

const bytes = (n: number | null) => (n === null ? '–' : n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`);

function TopologyPanel({ ops }: { ops: OpsState }) {
  const topology = ops.topology;
  return (
    <section className="panel" data-testid="topology">
      <h2>Topology</h2>
      <Problem ops={ops} view="topology" />
      {topology && (
        <>
          {topology.unavailable.map((u) => (
            <p key={u.context} className="error">
              {u.context} did not answer: {u.error}
            </p>
          ))}
          <h3>Database shards</h3>
          <table>
            <thead>
              <tr>
                <th>Shard</th>
                <th>Node</th>
                <th>Role</th>
                <th>Status</th>
                <th>Replay lag</th>
                <th>At its primary</th>
                <th>WAL behind</th>
              </tr>
            </thead>
            <tbody>
              {topology.shards.flatMap((shard) =>
                shard.nodes.map((node, i) => {
                  const slot = node.role === 'standby' ? shard.replication?.find((r) => r.standby === node.node.replace('-', '_')) : undefined;
                  return (
                    <tr key={`${shard.shard}/${node.node}`} data-testid="db-node" data-node={node.node} data-status={node.status} data-lag-bytes={slot?.lagBytes ?? undefined}>
                      <td>{i === 0 ? `${shard.shard} (${shard.seenBy.join(', ')})` : ''}</td>
                      <td>{node.node}</td>
                      <td>{node.role}</td>
                      <td>
                        <span className={`badge badge-${node.status}`} title={node.error}>
                          {node.status}
                        </span>
                      </td>
                      <td>{node.lagSeconds === null ? '–' : `${node.lagSeconds.toFixed(1)} s`}</td>
                      <td>{slot ? (slot.connected ? `${slot.state ?? '?'}, ${slot.syncState ?? '?'}` : 'disconnected') : node.role === 'standby' ? '–' : ''}</td>
                      <td>{slot ? bytes(slot.lagBytes) : ''}</td>
                    </tr>
                  );
                }),
              )}
            </tbody>
          </table>
          <h3>Kafka brokers</h3>
          {topology.kafka.status === 'up' ? (
            <ul className="inline-list" data-testid="brokers">
              {topology.kafka.brokers.map((b) => (
                <li key={b.nodeId}>
                  <span className="badge badge-up">broker {b.nodeId}</span> {b.host}:{b.port}
                  {b.controller ? ' (controller)' : ''}
                </li>
              ))}
            </ul>
          ) : (
            <p className="error">The cluster did not answer: {topology.kafka.error}</p>
          )}
          <h3>App replicas</h3>
          <ul className="inline-list replicas">
            {topology.replicas.map((r) => (
              <li key={r.instance} data-testid="replica" data-instance={r.instance} data-status={r.status} title={Object.entries(r.checks).map(([check, s]) => `${check}: ${s}`).join(', ')}>
                <span className={`badge badge-${r.status}`}>{r.status}</span> {r.instance}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function ConsumerGroupsPanel({ ops }: { ops: OpsState }) {
  return (
    <section className="panel" data-testid="consumer-groups">
      <h2>Consumer groups</h2>
      <Problem ops={ops} view="groups" />
      <table>
        <thead>
          <tr>
            <th>Group</th>
            <th>Topic</th>
            <th>Lag</th>
          </tr>
        </thead>
        <tbody>
          {ops.groups?.groups.flatMap((group) =>
            group.topics.map((topic, i) => (
              <tr key={`${group.groupId}/${topic.topic}`} className={topic.lag > 0 ? 'behind' : undefined}>
                <td>{i === 0 ? `${group.groupId} (${group.state}, ${group.members.length} members)` : ''}</td>
                <td>{topic.topic}</td>
                <td>{topic.lag}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </section>
  );
}

function SagasPanel({ ops }: { ops: OpsState }) {
  const sagas = ops.sagas;
  // Absent from a gateway older than this page (a rolling update): the list is then left out.
  const oldest = (sagas?.oldest as SagasInFlight['oldest'] | undefined) ?? [];
  return (
    <section className="panel" data-testid="sagas">
      <h2>Sagas in flight: {sagas?.inFlight ?? '–'}</h2>
      <Problem ops={ops} view="sagas" />
      <table>
        <tbody>
          {sagas?.states.map((s) => (
            <tr key={s.state}>
              <td>{s.state}</td>
              <td>{s.count}</td>
              <td className="muted small">oldest placed {new Date(s.oldestPlacedAt).toLocaleTimeString('en-GB')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {oldest.length > 0 && (
        <>
          <h3>The oldest</h3>
          <table>
            <tbody>
              {oldest.map((s) => (
                <tr key={s.orderId} data-testid="saga-in-flight" data-order-id={s.orderId}>
                  <td>
                    <code title={s.orderId}>{s.orderId.slice(0, 8)}</code>
                  </td>
                  <td>{s.state}</td>
                  <td className="muted small">placed {new Date(s.placedAt).toLocaleTimeString('en-GB')}</td>
                  <td>{s.traceId ? <TraceLink traceId={s.traceId} title="This order's checkout as one trace, as far as it went" /> : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function OutboxPanel({ ops }: { ops: OpsState }) {
  return (
    <section className="panel" data-testid="outbox">
      <h2>Outbox backlogs</h2>
      <Problem ops={ops} view="outbox" />
      <table>
        <tbody>
          {ops.outbox?.contexts.map((c) => (
            <tr key={c.context}>
              <td>{c.context}</td>
              <td>{c.status === 'up' ? c.shards.map((s) => `shard ${s.shard}: ${s.unpublished ?? '–'}`).join(' · ') : `unavailable: ${c.error}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function DeadLettersPanel({ ops }: { ops: OpsState }) {
  const topics = ops.deadLetters?.topics ?? [];
  const letters = topics.flatMap((t) => t.latest.map((letter) => ({ ...letter, topic: t.topic })));
  return (
    <section className="panel" data-testid="dead-letters">
      <h2>Dead letters: {topics.reduce((sum, t) => sum + t.stored, 0)}</h2>
      <Problem ops={ops} view="deadLetters" />
      {letters.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>When</th>
              <th>Dead-letter topic</th>
              <th>From</th>
              <th>Group</th>
              <th>Reason</th>
              <th>Trace</th>
            </tr>
          </thead>
          <tbody>
            {letters.map((l) => (
              <tr key={`${l.topic}/${l.partition}/${l.offset}`} data-testid="dead-letter" data-key={l.key ?? undefined}>
                <td>{new Date(l.timestamp).toLocaleString('en-GB')}</td>
                <td>{l.topic}</td>
                <td>{l.originalTopic ?? '–'}</td>
                <td>{l.group ?? '–'}</td>
                <td>{l.reason ?? '–'}</td>
                <td>{l.traceId ? <TraceLink traceId={l.traceId} title="The trace this message was part of, up to where it failed" /> : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** A link to one trace's waterfall in the console (ADR 0037). */
function TraceLink({ traceId, title }: { traceId: string; title: string }) {
  return (
    <Link className="trace-link" data-testid="console-trace-link" to={`/console/traces/${traceId}`} title={title}>
      trace
    </Link>
  );
}
