import { accessRouter } from "./routers/access.js";
import { eventsRouter } from "./routers/events.js";
import { healthRouter } from "./routers/health.js";
import { identitiesRouter } from "./routers/identities.js";
import { identityMetadataRouter } from "./routers/identity-metadata.js";
import { relationshipTemplatesRouter } from "./routers/relationship-templates.js";
import { relationshipsRouter } from "./routers/relationships.js";
import { twinsRouter } from "./routers/twins.js";
import { webhooksRouter } from "./routers/webhooks.js";
import { router } from "./trpc.js";

export const appRouter = router({
  health: healthRouter,
  access: accessRouter,
  twins: twinsRouter,
  identities: identitiesRouter,
  relationshipTemplates: relationshipTemplatesRouter,
  relationships: relationshipsRouter,
  identityMetadata: identityMetadataRouter,
  events: eventsRouter,
  webhooks: webhooksRouter,
});

export type AppRouter = typeof appRouter;
