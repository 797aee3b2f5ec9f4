/**
 * The instant every test server's clock starts at (HEXWATCH_NOW), with the demo seed: the demo's
 * history ends here, so each run sees the same data and "the last N days" counts from here. A
 * Monday at midday in Asia/Shanghai and Hong Kong (04:00 UTC), far from a day's or month's edge,
 * so that the minutes a run takes never move "today" or "this month". No server code here: the
 * browser tests import it without loading the server.
 */
export const TEST_NOW = '2026-06-15T04:00:00Z';
export const TEST_DEMO_SEED = '1';
