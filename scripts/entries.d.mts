// Types of scripts/entries.mjs, for the TypeScript files that read it (vitest.config.ts, tests).
export interface Entry {
  readonly subpath: string
  readonly source: string
}
export declare const entries: ReadonlyArray<Entry>
export declare const flavours: { readonly esm: string; readonly bundler: string; readonly cjs: string }
export declare const packageFields: () => Record<string, unknown>
export declare const staleFields: (pkg: Record<string, unknown>) => ReadonlyArray<string>
