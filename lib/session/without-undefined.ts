/** The options that were given: `{ ...defaults, ...withoutUndefined(options) }` lets an explicit `undefined` keep the default. */
export function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
