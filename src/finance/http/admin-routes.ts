/** Runtime control of the simulator: knobs, counters, the books. Signed like service calls. */
import { Hono } from 'hono';
import { jsonBody } from '../../server/validate.js';
import { KnobsPatchSchema } from '../knobs.js';
import type { Knobs } from '../knobs.js';
import type { Notifier } from '../notifier.js';
import type { Stats } from '../stats.js';
import type { FinanceStore } from '../store/types.js';
import type { ReplayGuard } from '../replay-guard.js';
import { requireSignature } from './require-signature.js';

export interface AdminRoutesDeps {
  knobs: Knobs;
  stats: Stats;
  notifier: Notifier;
  store: FinanceStore;
  signSecret: string;
  /** Issue 18: signed writes accepted once. */
  replay?: ReplayGuard | undefined;
  now: () => number;
}

export function adminRoutes(deps: AdminRoutesDeps): Hono {
  const app = new Hono();
  app.use('/finance/admin/*', requireSignature(deps.signSecret, deps.now, deps.replay));

  app.get('/finance/admin/knobs', (c) => c.json({ knobs: deps.knobs.get() }));
  // A partial update: only the knobs named change.
  app.put('/finance/admin/knobs', async (c) =>
    c.json({ knobs: deps.knobs.set(await jsonBody(c, KnobsPatchSchema)) }),
  );

  app.get('/finance/admin/stats', (c) =>
    c.json({ requests: deps.stats.snapshot(), callbacks: deps.notifier.stats() }),
  );
  app.delete('/finance/admin/stats', (c) => {
    deps.stats.reset();
    return c.json({ requests: deps.stats.snapshot() });
  });

  app.get('/finance/admin/books', async (c) => c.json({ books: await deps.store.checkBooks() }));
  return app;
}
