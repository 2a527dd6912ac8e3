/**
 * Why a paging run ended: `complete`, or why its result is partial. One list for the pagination
 * iterator, fetch-all and the webview protocol (which may read the route catalogue but not the rest
 * of the core, hence here). `stopped`: the caller ended the run for a fault it named (the sandbox
 * stopped); `cancelled`: the user did.
 */
export const STOP_REASONS = ['complete', 'cancelled', 'stopped', 'quota', 'page_cap', 'record_cap', 'error'] as const;
export type FetchStopReason = (typeof STOP_REASONS)[number];
