import { accessRouter } from "./routers/access.js";
import { healthRouter } from "./routers/health.js";
import { router } from "./trpc.js";

export const appRouter = router({
  health: healthRouter,
  access: accessRouter,
});

export type AppRouter = typeof appRouter;
