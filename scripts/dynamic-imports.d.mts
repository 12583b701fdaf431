// Types of scripts/dynamic-imports.mjs, for its test (test/build/).

/** Where an import() call is: line from 1, column from 0, and the code around it. */
export interface DynamicImport {
  line: number;
  column: number;
  snippet: string;
}

export function dynamicImports(code: string): Promise<DynamicImport[]>;

export function assertNoDynamicImport(file: string, code: string, bannerLines?: number): Promise<void>;

/** The first banner line of dist/export-miss.cjs, defining `__rolehopImport`. */
export const DYNAMIC_IMPORT_BANNER: string;
