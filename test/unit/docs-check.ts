import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';

/**
 * What the docs test reads: the documents, what they name (paths, symbols,
 * routes), and what the code base has (files, identifiers, each context's
 * HTTP routes). test/unit/docs-paths.spec.ts compares the two.
 */
export const root = join(import.meta.dirname, '..', '..');
const TOP_LEVEL = /^(apps|libs|docs|tools|test|infra|k8s|scripts|bench|deploy|\.ci)\//;
const SKIPPED_FOLDERS = ['node_modules', 'dist', '.boxoffice', '.git'];

function walk(dir: string, keep: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_FOLDERS.includes(entry.name) ? [] : walk(path, keep);
    return keep(entry.name) ? [path] : [];
  });
}

/** Every document whose paths are checked: the root's, docs/ (ADRs included) and every README under apps/ and libs/. */
export function markdownFiles(): string[] {
  const files = ['README.md', 'BENCHMARKS.md'].map((f) => join(root, f)).filter(existsSync);
  const isMarkdown = (name: string) => name.endsWith('.md');
  return [...files, ...walk(join(root, 'docs'), isMarkdown), ...walk(join(root, 'apps'), isMarkdown), ...walk(join(root, 'libs'), isMarkdown)];
}

/**
 * The documents that describe the code as it is now, whose symbols and API
 * tables are checked too: every README and docs/*.md. ADRs and BENCHMARKS.md
 * are records of their time (they may name what was replaced since), so only
 * their paths are checked.
 */
export function currentDocuments(): string[] {
  return markdownFiles().filter((file) => {
    const path = relative(root, file);
    return basename(path) === 'README.md' || /^docs\/[^/]+\.md$/.test(path);
  });
}

/** The text outside fenced code blocks (shell sessions and diagrams are not prose). */
export function prose(text: string): string {
  return text.replace(/^```[^\n]*\n[\s\S]*?^```[^\n]*$/gm, '');
}

/** The mermaid diagrams' participants that name a file (`participant P as place-order.handler.ts`, maybe with a note after it). */
export function diagramFiles(text: string): string[] {
  const blocks = [...text.matchAll(/^```mermaid\n([\s\S]*?)^```/gm)].map((m) => m[1]);
  return blocks.flatMap((block) => [...block.matchAll(/^\s*(?:participant|actor)\s+\S+\s+as\s+([\w./-]+\.(?:ts|mjs|cjs|js))\b/gm)].map((m) => m[1]));
}

export function namedPaths(file: string): { path: string; resolved: string }[] {
  const text = readFileSync(file, 'utf8');
  const links = [...text.matchAll(/\]\(([^)\s#]+)(#[^)]*)?\)/g)]
    .map((m) => m[1])
    .filter((target) => !/^[a-z]+:/.test(target))
    .map((path) => ({ path, resolved: join(dirname(file), path) }));
  const backticked = [...text.matchAll(/`([^`\s]+)`/g)]
    .map((m) => m[1])
    .filter((path) => TOP_LEVEL.test(path) && !/[<*{]/.test(path))
    .map((path) => ({ path, resolved: join(root, path.replace(/[.,:;]$/, '')) }));
  return [...links, ...backticked];
}

/** The folders the code base lives in: its sources, scripts and deployment files. */
const CODE_FOLDERS = ['apps', 'libs', 'tools', 'test', 'bench', 'scripts', 'infra', 'k8s', 'deploy', '.ci'];
const CODE_FILE = /\.(ts|mjs|cjs|js|json|ya?ml|xml|sh|properties)$|^(Dockerfile|run)$/;

let codeFiles: string[] | undefined;
function allCodeFiles(): string[] {
  codeFiles ??= [
    ...CODE_FOLDERS.flatMap((folder) => walk(join(root, folder), (name) => CODE_FILE.test(name))),
    ...['Dockerfile', 'docker-compose.yml', 'package.json', 'jest.config.js', 'eslint.config.js', '.dependency-cruiser.cjs'].map((f) => join(root, f)).filter(existsSync),
  ];
  return codeFiles;
}

/** Every file name in the code base (a document may name a file by its name alone, e.g. in a diagram). */
export function codeFileNames(): Set<string> {
  return new Set(allCodeFiles().map((file) => basename(file)));
}

/** Source without its comments: a name that only a comment mentions is not in the code. */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

let codeWords: Set<string> | undefined;
/** Every identifier-like word (and dotted topic name) the code base's files use, outside comments. */
export function wordsInCode(): Set<string> {
  if (!codeWords) {
    codeWords = new Set();
    // Not the docs test itself: the drifted names it tries must not count as code.
    const docsTest = [join(root, 'test', 'unit', 'docs-paths.spec.ts'), join(root, 'test', 'unit', 'docs-check.ts')];
    for (const file of allCodeFiles().filter((f) => !docsTest.includes(f))) {
      const text = /\.(ts|mjs|cjs|js)$/.test(file) ? withoutComments(readFileSync(file, 'utf8')) : readFileSync(file, 'utf8');
      for (const [word] of text.matchAll(/[A-Za-z_$][\w$]*(?:\.[a-z][\w-]*)*/g)) {
        codeWords.add(word);
        for (const part of word.split('.')) codeWords.add(part);
      }
    }
  }
  return codeWords;
}

let dependencyWords: Set<string> | undefined;
/**
 * The names the dependencies the code base declares export, from each one's
 * type declarations: a document may name a library's class or error
 * (`KafkaJSNumberOfRetriesExceeded`).
 */
export function wordsOfDependencies(): Set<string> {
  if (!dependencyWords) {
    dependencyWords = new Set();
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    for (const name of Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })) {
      const folder = join(root, 'node_modules', name);
      if (!existsSync(join(folder, 'package.json'))) continue;
      const own = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { types?: string; typings?: string };
      const types = own.types ?? own.typings;
      if (!types || !existsSync(join(folder, types))) continue;
      for (const [word] of readFileSync(join(folder, types), 'utf8').matchAll(/[A-Za-z_$][\w$]*/g)) dependencyWords.add(word);
    }
  }
  return dependencyWords;
}

/**
 * A backticked name that can only be code: camelCase (`decideHold`),
 * PascalCase (`PriceList`, `Order`), a call (`timeOut()`), a dotted member
 * (`Order.place()`), a CONSTANT_OR_SETTING, a snake_case table or column
 * (`step_deadline`) or a topic (`catalog.show-published.v1`). Plain words
 * (`held`, `admin`), HTTP headers (`Idempotency-Key`) and values (`on-sale`)
 * are not symbols.
 */
export function namedSymbols(text: string): string[] {
  const tokens = [...prose(text).matchAll(/`([^`\n]+)`/g)].map((m) => m[1].trim());
  return tokens.flatMap((token) => {
    if (/^[a-z]+\.[a-z][a-z-]*\.v\d+$/.test(token)) return [token];
    const call = token.replace(/\([^()]*\)$/, '');
    if (!/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(call)) return [];
    return call.split('.').filter((part) => looksLikeCode(part, call !== token));
  });
}

function looksLikeCode(name: string, called: boolean): boolean {
  if (called) return true;
  return (
    /^[a-z][a-z0-9]*[A-Z]\w*$/.test(name) || // camelCase
    /^[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+$/.test(name) || // PascalCase, several words
    /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(name) || // CONSTANT or SETTING
    /^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$/.test(name) // snake_case table or column
  );
}

export interface ApiRow {
  method: string;
  /** The path as the document writes it, query left out: `/orders/:id`. */
  path: string;
  /** The HTTP statuses the row says the route answers. */
  statuses: number[];
  line: number;
}

/** The rows of API tables: `| GET | `/shows/:id` | … |`. */
export function apiRows(text: string): ApiRow[] {
  return text.split('\n').flatMap((row, index) => {
    const match = /^\|\s*(GET|POST|PUT|PATCH|DELETE)\s*\|\s*`([^`]+)`\s*\|(.*)$/.exec(row);
    if (!match) return [];
    const rest = match[3].replace(/\]\([^)]*\)/g, ']');
    const statuses = [...rest.matchAll(/(?<![\w.-])([1-5]\d\d)(?![\w.-])/g)].map((m) => Number(m[1]));
    return [{ method: match[1], path: match[2].replace(/\?.*$/, ''), statuses, line: index + 1 }];
  });
}

/** One route and the statuses it can answer. */
export interface Route {
  method: string;
  path: string;
  statuses: Set<number>;
}

/** `/orders/:id`, `orders/{id}` and `/orders/:orderId` are the same route. */
export function routeKey(method: string, path: string): string {
  const normal = `/${path}`.replace(/\/+/g, '/').replace(/\/$/, '').replace(/:[\w]+|\{[\w]+\}/g, ':');
  return `${method.toUpperCase()} ${normal || '/'}`;
}

/**
 * Every context answers these whatever the route: a refused value (400), no
 * valid caller token (401) or not the role it needs (403), a body too large
 * or not JSON (413, 415), its database unavailable (503), a bug (500).
 */
const ANY_CONTEXT_STATUSES = [400, 401, 403, 413, 415, 500, 503];

const THROWN: [RegExp, number[]][] = [
  [/ProblemException\.notFound\(/, [404]],
  [/ProblemException\.conflict\(/, [409]],
  [/ProblemException\.unprocessable\(/, [422]],
  [/ProblemException\.unavailable\(/, [503]],
  [/\braiseViolation\(/, [404, 409, 422]],
];

/** The statuses a piece of a controller can answer with: what it throws, and the helpers of its file it calls. */
function thrownStatuses(code: string, helpers: Map<string, string>): number[] {
  const statuses = THROWN.flatMap(([pattern, answers]) => (pattern.test(code) ? answers : []));
  statuses.push(...[...code.matchAll(/\bproblem\((\d{3})/g)].map((m) => Number(m[1])));
  for (const [name, body] of helpers) if (new RegExp(`\\b${name}\\(`).test(code)) statuses.push(...thrownStatuses(body, new Map()));
  return statuses;
}

/**
 * A context's HTTP routes, read from its controllers' decorators
 * (`@Controller`, `@Get`/`@Post`…, `@HttpCode`), with the statuses each can
 * answer: its success (`@HttpCode`, the literals it passes to
 * `response.status()`, or Nest's default: 201 for a POST, 200 otherwise),
 * the problems it throws, and those every route of a context can answer.
 */
export function contextRoutes(app: string): Route[] {
  const controllers = walk(join(root, 'apps', app, 'src'), (name) => name.endsWith('.controller.ts'));
  return controllers.flatMap((file) => {
    const source = withoutComments(readFileSync(file, 'utf8'));
    const helpers = new Map([...source.matchAll(/^(?:export )?function (\w+)\([\s\S]*?^\}/gm)].map((m) => [m[1], m[0]]));
    const classes = source.split(/(?=@Controller\()/).slice(1);
    return classes.flatMap((block) => {
      const prefix = /^@Controller\((?:'([^']*)')?\)/.exec(block)?.[1] ?? '';
      const handlers = block.split(/(?=@(?:Get|Post|Put|Patch|Delete)\()/).slice(1);
      return handlers.map((handler) => {
        const [, verb, path = ''] = /^@(Get|Post|Put|Patch|Delete)\((?:'([^']*)')?\)/.exec(handler)!;
        const method = verb.toUpperCase();
        const httpCode = /@HttpCode\((\d{3})\)/.exec(handler);
        const explicit = [...handler.matchAll(/\.status\(([^;]*?)\)\s*[.;]/g)].flatMap((m) => [...m[1].matchAll(/\b\d{3}\b/g)].map((n) => Number(n[0])));
        const success = httpCode ? [Number(httpCode[1])] : explicit.length > 0 ? explicit : [method === 'POST' ? 201 : 200];
        return { method, path: `${prefix}/${path}`, statuses: new Set([...success, ...thrownStatuses(handler, helpers), ...ANY_CONTEXT_STATUSES]) };
      });
    });
  });
}

/**
 * The bounded contexts' apps, whose README is checked against their controllers and use cases (the
 * gateway's is checked against its OpenAPI document; the web app has neither).
 */
export function contextApps(): string[] {
  return readdirSync(join(root, 'apps')).filter((app) => app !== 'gateway' && existsSync(join(root, 'apps', app, 'README.md')) && existsSync(join(root, 'apps', app, 'src', 'application')));
}

/** Routes every app has from libs/platform, which no README's API table lists. */
export const PLATFORM_ROUTES = /^GET \/(health\/(live|ready)|metrics)$/;

/** The use cases a README's "Use cases (`src/application/`)" section names, and the folders there are. */
export function useCases(app: string): { documented: string[]; folders: string[] } | undefined {
  const text = readFileSync(join(root, 'apps', app, 'README.md'), 'utf8');
  const section = /^## Use cases \(`src\/application\/`\)\n([\s\S]*?)(?=^## |$(?![\s\S]))/m.exec(text);
  const folder = join(root, 'apps', app, 'src', 'application');
  if (!section || !existsSync(folder)) return undefined;
  const folders = readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'ports')
    .map((entry) => entry.name);
  const documented = [...section[1].matchAll(/`([a-z]+(?:-[a-z]+)+)`/g)].map((m) => m[1]);
  return { documented, folders };
}

/**
 * The environment variables code under these folders reads: `env.NAME`,
 * `env['NAME']`, a settings helper given `(env, 'NAME', …)`, a constant
 * naming one (`PUBLIC_KEYS_SETTING = 'NAME'`) and the launcher's option
 * table (`{ env: 'NAME', flag: … }`).
 */
export function settingsReadUnder(...folders: string[]): Set<string> {
  const reads = [
    /\benv\.([A-Z][A-Z0-9_]+)\b/g,
    /\benv\[\s*'([A-Z][A-Z0-9_]+)'\s*\]/g,
    /\(\s*env\s*,\s*'([A-Z][A-Z0-9_]+)'/g,
    /\b[A-Z_]*SETTINGS?\s*=\s*'([A-Z][A-Z0-9_]+)'/g,
    /\benv:\s*'([A-Z][A-Z0-9_]+)'/g,
  ];
  const files = folders.flatMap((folder) => walk(join(root, folder), (name) => /\.(ts|tsx|mjs)$/.test(name)).filter((file) => !/[/\\]test[/\\]/.test(relative(root, file))));
  return new Set(files.flatMap((file) => settingsIn(readFileSync(file, 'utf8'), reads)));
}

function settingsIn(text: string, reads: RegExp[]): string[] {
  return reads.flatMap((read) => [...text.matchAll(read)].map((m) => m[1]));
}

/** `PORT`, `KAFKA_BROKERS`: an upper-case name of three characters or more. */
const SETTING = /^[A-Z][A-Z0-9_]{2,}$/;

/**
 * The settings a document lists as such: every backticked SETTING in its
 * `## Settings` section, and the first cell of each row of a table headed
 * `setting` or `variable` (the other cells may mention other settings).
 */
export function listedSettings(text: string): string[] {
  const backticked = (fragment: string) => [...fragment.matchAll(/`([^`\n]+)`/g)].map((m) => m[1].trim()).filter((name) => SETTING.test(name));
  const section = /^## Settings\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(text)?.[1] ?? '';
  const inSection = backticked(prose(section).replace(/^\|.*$/gm, ''));
  const inTables: string[] = [];
  let inSettingsTable = false;
  for (const line of prose(text).split('\n')) {
    if (!line.startsWith('|')) {
      inSettingsTable = false;
      continue;
    }
    const first = line.split('|')[1]?.trim() ?? '';
    if (/^(setting|variable)$/i.test(first)) inSettingsTable = true;
    else if (inSettingsTable && !/^-+$/.test(first)) inTables.push(...backticked(first));
  }
  return [...new Set([...inSection, ...inTables])];
}

/** Every backticked SETTING a text names, anywhere in its prose or tables. */
export function namedSettings(text: string): Set<string> {
  return new Set([...prose(text).matchAll(/`([A-Z][A-Z0-9_]+)(?:=[^`]*)?`/g)].map((m) => m[1]).filter((name) => SETTING.test(name)));
}

/** The npm scripts a text tells the reader to run: `npm run <script>`, `npm start`, `npm test`, `npm stop`. */
export function npmScriptsNamed(text: string): string[] {
  return [...new Set([...text.matchAll(/\bnpm (?:run(?:-script)? (?:--silent )?([\w:.-]+)|(start|test|stop|restart)\b)/g)].map((m) => m[1] ?? m[2]))];
}

/**
 * What a walkthrough leaves a reader to find alone: for every use case it
 * names (a file under some `apps/<context>/src/application/`), the ports and
 * domain files that use case imports, and the adapter or consumer that runs
 * it. A document names a file by its name (`place-order.handler.ts`), alone
 * or in a path.
 */
export function unnamedNeighbours(text: string): string[] {
  const named = (file: string) => text.includes(basename(file));
  const gaps: string[] = [];
  for (const app of readdirSync(join(root, 'apps'))) {
    const src = join(root, 'apps', app, 'src');
    const useCases = walk(join(src, 'application'), (name) => name.endsWith('.ts')).filter((file) => !file.includes('/ports/') && named(file));
    const runners = [...walk(join(src, 'interface'), (name) => name.endsWith('.ts')), ...walk(join(src, 'infrastructure'), (name) => name.endsWith('.ts'))];
    for (const useCase of useCases) {
      const source = readFileSync(useCase, 'utf8');
      const imported = [...source.matchAll(/from '(\.[^']+)\.js'/g)].map((m) => join(dirname(useCase), `${m[1]}.ts`));
      for (const file of imported.filter((f) => /\/src\/(domain|application\/ports)\//.test(f) && !named(f))) gaps.push(`${relative(root, useCase)} uses ${relative(root, file)}`);
      const runBy = runners.filter((runner) => readFileSync(runner, 'utf8').includes(`/${basename(useCase, '.ts')}.js'`));
      if (runBy.length > 0 && !runBy.some(named)) gaps.push(`${relative(root, useCase)} is run by ${runBy.map((f) => relative(root, f)).join(' or ')}`);
    }
  }
  return gaps;
}
