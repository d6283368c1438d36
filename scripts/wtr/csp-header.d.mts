export declare const CSP_PATH_PREFIX: string;
export declare const CSP_POLICY: string;
export declare function cspHeader(): (ctx: { path: string; set(name: string, value: string): void }, next: () => Promise<unknown>) => Promise<void>;
