import highsModule from 'highs';

// highs ships CommonJS typings for an ES module build: its default export is the loader at run
// time, typed as the module object.
type Loader = typeof highsModule.default;
const highsLoader = ((highsModule as unknown as { default?: Loader }).default ?? highsModule) as Loader;
export type Highs = Awaited<ReturnType<Loader>>;
let loaded: Promise<Highs> | undefined;

/** The HiGHS solver (WebAssembly), loaded once per process. */
export const highs = (): Promise<Highs> => (loaded ??= highsLoader());

/**
 * Forgets the loaded solver: after HiGHS aborts (out of its 2 GiB of WebAssembly memory, say) its
 * instance is unusable, and the next call loads a fresh one.
 */
export function reloadHighs(): void {
  loaded = undefined;
}

/** A column's value in a HiGHS solution (0 when HiGHS left it out). */
export const primalOf = (solution: { Columns: Record<string, unknown> }, name: string): number =>
  (solution.Columns[name] as { Primal?: number } | undefined)?.Primal ?? 0;
