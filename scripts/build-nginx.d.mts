// Types of build-nginx.mjs for the tests that find its builds (test/support/nginxBuilds.ts).
export declare const NGINX_SOURCES: string;
export declare const ORACLE_RELEASES: readonly string[];
export declare function buildsRoot(): string;
export declare function tarballOf(version: string): string;
export declare function buildDirOf(version: string): string;
export declare function compareVersions(a: string, b: string): number;
export declare function configureArguments(version: string): string[];
export declare function buildNginx(version: string): string;
