import type Database from 'better-sqlite3';

type Named<T extends Record<string, string>> = { [K in keyof T]: Database.Statement };

/**
 * A table set's SQL as named statements: written once, in one place, prepared on first use
 * and kept per database (preparing costs more than running a short statement).
 */
export function namedStatements<const T extends Record<string, string>>(
  sql: T,
): (db: Database.Database) => Named<T> {
  const prepared = new WeakMap<Database.Database, Partial<Named<T>>>();
  return (db) => {
    let cache = prepared.get(db);
    if (!cache) prepared.set(db, (cache = {}));
    const statements = cache;
    return new Proxy({} as Named<T>, {
      get(_, name: string) {
        const text = sql[name];
        if (text === undefined) throw new Error(`no statement named ${name}`);
        return (statements[name as keyof T] ??= db.prepare(text));
      },
    });
  };
}
