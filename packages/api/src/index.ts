export { appRouter, type AppRouter } from "./router.js";
export { createInnerContext, type Context } from "./context.js";
export { createCallerFactory } from "./trpc.js";
export { TRPC_CODE, type DomainErrorData } from "./errors.js";
