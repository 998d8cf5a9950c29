// Types for workspace.mjs, so the repo tests (TypeScript) can import it.
export declare const root: string;
export declare const PNPM_VERSION: string;
export interface WorkspacePackage {
  dir: string;
  folder: string;
  name: string;
  manifest: Record<string, unknown>;
  ready: boolean;
  reason?: string;
}
export declare function listPackages(): WorkspacePackage[];
export declare function entryFiles(manifest: Record<string, unknown>): string[];
export declare function missingBuild(pkg: WorkspacePackage): string[];
export declare function pack(pkg: WorkspacePackage, destination: string): string;
export declare function tarballFiles(tarball: string): string[];
export declare function staleBuild(pkg: WorkspacePackage): boolean;
export declare function markdownFiles(): string[];
