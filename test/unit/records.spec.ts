import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every TypeORM record a context registers (`entities` in its
 * `<context>.database.ts`) is read or written by its code. A record nothing
 * uses only looks like the table's shape: the migrations define the tables,
 * and a record left behind drifts from them unnoticed.
 */
const apps = join(import.meta.dirname, '..', '..', 'apps');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The record classes a database definition registers. */
function registeredRecords(definition: string): string[] {
  const list = /entities:\s*\[([^\]]*)\]/.exec(definition)?.[1] ?? '';
  return list.split(',').map((name) => name.trim()).filter(Boolean);
}

/** The registered records no other file of the app uses (its own file and the database definition aside). */
function unusedRecords(app: string): string[] {
  const files = sources(join(apps, app, 'src'));
  const definition = files.find((file) => file.endsWith(`${app}.database.ts`));
  if (!definition) return [];
  return registeredRecords(readFileSync(definition, 'utf8')).filter((record) => {
    const declaration = new RegExp(`export class ${record}\\b`);
    const use = new RegExp(`\\b${record}\\b`);
    return !files.some((file) => {
      if (file === definition) return false;
      const text = readFileSync(file, 'utf8');
      return !declaration.test(text) && use.test(text);
    });
  });
}

describe('TypeORM records', () => {
  const contexts = readdirSync(apps);

  it('reads each database definition', () => {
    expect(registeredRecords("entities: [VenueRecord, ShowRecord],")).toEqual(['VenueRecord', 'ShowRecord']);
    expect(registeredRecords('entities: [],')).toEqual([]);
    expect(contexts).toEqual(expect.arrayContaining(['catalog', 'inventory', 'ticketing']));
  });

  it.each(contexts)('%s registers only records its code uses', (app) => {
    expect(unusedRecords(app)).toEqual([]);
  });
});
