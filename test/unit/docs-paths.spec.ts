import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  apiRows,
  codeFileNames,
  contextApps,
  contextRoutes,
  currentDocuments,
  diagramFiles,
  markdownFiles,
  namedPaths,
  namedSymbols,
  PLATFORM_ROUTES,
  prose,
  root,
  routeKey,
  unnamedNeighbours,
  useCases,
  wordsInCode,
  wordsOfDependencies,
  type ApiRow,
  type Route,
} from './docs-check.js';
import { gatewayDocument } from './gateway-document.js';

/**
 * Docs are part of the product, and drift silently unless something reads
 * them against the code:
 * - every repository path they name exists (markdown links, relative to the
 *   document; `backticked` paths under the top-level folders; file names alone,
 *   as in the walkthrough's diagrams);
 * - every symbol a README or docs/*.md names in backticks (a class, function,
 *   constant, setting, table or topic) is in the code, outside comments;
 * - every API table row names a real route, with statuses it can answer: the
 *   gateway's README and docs/ against the gateway's OpenAPI document (the one
 *   it publishes at /docs/openapi.json), a context's README against its
 *   controllers; and each README lists every route of its app;
 * - each context README's use cases name every folder of its `src/application/`;
 * - the walkthrough names, for every use case it follows, the ports and
 *   domain files that use case imports and the consumer or adapter that runs it.
 */

async function gatewayRoutes(): Promise<Route[]> {
  const { ANY_REQUEST_STATUSES } = await import('../../apps/gateway/src/interface/http/openapi-document.js');
  const document = await gatewayDocument();
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations as Record<string, { responses?: Record<string, unknown> }>)
      .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
      .map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        statuses: new Set([...Object.keys(operation.responses ?? {}).map(Number), ...ANY_REQUEST_STATUSES]),
      })),
  );
}

/** What is wrong with a table's rows, given the routes they should name. */
function driftOf(rows: ApiRow[], routes: Route[]): string[] {
  const byKey = new Map(routes.map((route) => [routeKey(route.method, route.path), route]));
  return rows.flatMap((row) => {
    const route = byKey.get(routeKey(row.method, row.path));
    if (!route) return [`line ${row.line}: ${row.method} ${row.path} is no route`];
    const impossible = row.statuses.filter((status) => !route.statuses.has(status));
    // A row that names a success names them all: "202" alone for a route that also answers 201 is half the truth.
    const successes = [...route.statuses].filter((status) => status < 300);
    const unnamed = row.statuses.some((status) => status < 300) ? successes.filter((status) => !row.statuses.includes(status)) : [];
    return [
      ...(impossible.length > 0 ? [`line ${row.line}: ${row.method} ${row.path} never answers ${impossible.join(', ')}`] : []),
      ...(unnamed.length > 0 ? [`line ${row.line}: ${row.method} ${row.path} also answers ${unnamed.join(', ')}`] : []),
    ];
  });
}

/** The app's routes its README's table leaves out (the platform's health and metrics routes aside). */
function undocumented(rows: ApiRow[], routes: Route[]): string[] {
  const documented = new Set(rows.map((row) => routeKey(row.method, row.path)));
  return routes.map((route) => routeKey(route.method, route.path)).filter((key) => !PLATFORM_ROUTES.test(key) && !documented.has(key));
}

/** The backticked symbols of a text that neither the code base nor its dependencies' declarations have. */
function missingSymbols(text: string): string[] {
  const words = wordsInCode();
  const dependencies = wordsOfDependencies();
  return [...new Set(namedSymbols(text))].filter((symbol) => !words.has(symbol) && !dependencies.has(symbol));
}

const readme = (app: string) => join(root, 'apps', app, 'README.md');

describe('documentation', () => {
  const files = markdownFiles();
  const current = currentDocuments();

  it('finds the documents to check', () => {
    expect(files.map((f) => relative(root, f))).toEqual(expect.arrayContaining(['README.md', 'docs/architecture.md', 'docs/walkthrough.md', 'docs/adr/0008-saga-over-correlated-messages.md']));
    expect(current.map((f) => relative(root, f))).toEqual(
      expect.arrayContaining(['README.md', 'docs/walkthrough.md', 'docs/saga.md', 'apps/gateway/README.md', 'apps/inventory/README.md', 'libs/messaging/README.md']),
    );
    expect(current.map((f) => relative(root, f))).not.toContain('docs/adr/0008-saga-over-correlated-messages.md');
  });

  it.each(files.map((f) => [relative(root, f), f]))('%s names only paths that exist', (_, file) => {
    const missing = namedPaths(file)
      .filter(({ resolved }) => !existsSync(resolved))
      .map(({ path }) => path);
    expect(missing).toEqual([]);
  });

  it.each(current.map((f) => [relative(root, f), f]))('%s names only files and symbols that are in the code', (_, file) => {
    const text = readFileSync(file, 'utf8');
    const names = codeFileNames();
    const fileNames = [...[...prose(text).matchAll(/`([\w.-]+\.(?:ts|mjs|cjs))`/g)].map((m) => m[1]), ...diagramFiles(text)];
    expect(fileNames.filter((name) => !names.has(name))).toEqual([]);
    expect(missingSymbols(text)).toEqual([]);
  });

  it('docs/walkthrough.md follows an order through the files a newcomer looks for, in its diagrams too', () => {
    const text = readFileSync(join(root, 'docs', 'walkthrough.md'), 'utf8');
    for (const file of ['place-order.handler.ts', 'saga-reply.consumer.ts', 'postgres-order-store.ts', 'outbox-relay.ts', 'handle-seat-command.handler.ts', 'issue-tickets.handler.ts', 'order-outcome.consumer.ts']) {
      expect(text).toContain(`${file}`);
    }
    expect(diagramFiles(text)).toEqual(expect.arrayContaining(['place-order.handler.ts', 'saga-reply.consumer.ts', 'postgres-order-store.ts', 'request-refund.handler.ts']));
    // The building blocks every one of those files stands on, and the model inventory decides with.
    for (const file of ['aggregate-root.ts', 'result.ts', 'consumed-message.ts', 'show-seats.decider.ts', 'stop-sales.handler.ts', 'list-show-orders.query.ts']) {
      expect(text).toContain(`${file}`);
    }
  });

  it('docs/walkthrough.md names, for each use case it follows, the ports and domain files it imports and what runs it', () => {
    expect(unnamedNeighbours(readFileSync(join(root, 'docs', 'walkthrough.md'), 'utf8'))).toEqual([]);
    // It sees what a page leaves out.
    expect(unnamedNeighbours('`handle-seat-command.handler.ts`')).toEqual([
      'apps/inventory/src/application/handle-seat-command/handle-seat-command.handler.ts uses apps/inventory/src/domain/seat/show-seats.decider.ts',
      'apps/inventory/src/application/handle-seat-command/handle-seat-command.handler.ts uses apps/inventory/src/application/ports/seat-inventory.port.ts',
      'apps/inventory/src/application/handle-seat-command/handle-seat-command.handler.ts is run by apps/inventory/src/interface/messaging/seat-command.consumer.ts',
    ]);
  });

  it('finds a drifted name: a symbol or a file the code base does not have', () => {
    const drifted = 'The `Order` aggregate: `requestRefund()`, `requestRefunds()`, `causedBy`, `MAX_SEATS_PER_ORDER`, `MAX_SEAT_PER_ORDER`, `step_deadline`, `catalog.show-published.v2`; held, `held`, `on-sale`.';
    expect(namedSymbols(drifted)).toEqual(['requestRefund', 'requestRefunds', 'causedBy', 'MAX_SEATS_PER_ORDER', 'MAX_SEAT_PER_ORDER', 'step_deadline', 'catalog.show-published.v2']);
    expect(missingSymbols(drifted)).toEqual(['requestRefunds', 'MAX_SEAT_PER_ORDER', 'catalog.show-published.v2']);
    const diagram = ['```mermaid', 'sequenceDiagram', '  participant H as place-order.handler.ts', '  participant R as saga-replies.consumer.ts', '```'].join('\n');
    expect(diagramFiles(diagram).filter((name) => !codeFileNames().has(name))).toEqual(['saga-replies.consumer.ts']);
  });

  describe('API tables', () => {
    let gateway: Route[];
    beforeAll(async () => {
      gateway = await gatewayRoutes();
    });

    it('reads the routes: the OpenAPI document and every context’s controllers', () => {
      expect(gateway.map((r) => routeKey(r.method, r.path))).toEqual(expect.arrayContaining(['POST /orders', 'GET /orders/:']));
      expect(gateway.find((r) => r.method === 'POST' && r.path === '/orders')!.statuses).toEqual(new Set([201, 202, 400, 401, 403, 405, 408, 409, 413, 415, 422, 431, 502, 503]));
      const ordering = contextRoutes('ordering');
      expect(ordering.map((r) => routeKey(r.method, r.path))).toEqual(expect.arrayContaining(['POST /orders', 'POST /orders/:/refund', 'GET /orders/:', 'GET /shows/:/orders']));
      expect([...ordering.find((r) => routeKey(r.method, r.path) === 'POST /orders')!.statuses].filter((s) => s < 300)).toEqual([201, 202]);
      expect(contextRoutes('catalog').find((r) => routeKey(r.method, r.path) === 'POST /shows/:/publish')!.statuses).toEqual(new Set([200, 404, 409, 422, 400, 401, 403, 413, 415, 500, 503]));
    });

    it('finds a drifted row: an unknown route, a status the route never answers', () => {
      const drifted = apiRows(
        ['| POST | `/orders` | place an order: 200 |', '| GET | `/orders/:id/history` | its history |', '| GET | `/orders/:id` | the order; 404 unknown |', '| POST | `/orders` | 202 + `Location` |'].join('\n'),
      );
      expect(driftOf(drifted, gateway)).toEqual([
        'line 1: POST /orders never answers 200',
        'line 1: POST /orders also answers 201, 202',
        'line 2: GET /orders/:id/history is no route',
        'line 4: POST /orders also answers 201',
      ]);
    });

    it('apps/gateway/README.md and docs/ name only routes and statuses of the published OpenAPI document, and every operation', () => {
      const rows = apiRows(readFileSync(readme('gateway'), 'utf8'));
      expect(rows.length).toBeGreaterThan(10);
      expect(driftOf(rows, gateway)).toEqual([]);
      expect(undocumented(rows, gateway)).toEqual([]);
      for (const file of current.filter((f) => !relative(root, f).startsWith('apps/'))) {
        expect({ file: relative(root, file), drift: driftOf(apiRows(readFileSync(file, 'utf8')), gateway) }).toEqual({ file: relative(root, file), drift: [] });
      }
    });

    it.each(contextApps())('apps/%s/README.md names only routes and statuses its controllers have, and every route', (app) => {
      const rows = apiRows(readFileSync(readme(app), 'utf8'));
      const routes = contextRoutes(app);
      expect(driftOf(rows, routes)).toEqual([]);
      expect(undocumented(rows, routes)).toEqual([]);
    });
  });

  it.each(contextApps())('apps/%s/README.md names every use case in src/application/', (app) => {
    const cases = useCases(app);
    expect(cases?.folders.length).toBeGreaterThan(0);
    expect(cases!.folders.filter((folder) => !cases!.documented.includes(folder))).toEqual([]);
  });
});
