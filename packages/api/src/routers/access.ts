import type {
  CreatePinInput,
  CreateRoleInput,
  CreateUserInput,
  IdInput,
  ListRecordsInput,
  UpdateRoleInput,
  UpdateSecretInput,
  UpdateUserInput,
  UserRefInput,
} from "@idhub/core";
import { authedProcedure as authed, input, router } from "../trpc.js";

// Thin adapters: each procedure hands the principal and the raw input to one core use case.

const usersRouter = router({
  create: authed.input(input<CreateUserInput>()).mutation(({ ctx, input }) => ctx.core.access.users.create(ctx.principal, input)),
  list: authed.input(input<ListRecordsInput | undefined>()).query(({ ctx, input }) => ctx.core.access.users.list(ctx.principal, input ?? {})),
  get: authed.input(input<IdInput>()).query(({ ctx, input }) => ctx.core.access.users.get(ctx.principal, input)),
  update: authed.input(input<UpdateUserInput>()).mutation(({ ctx, input }) => ctx.core.access.users.update(ctx.principal, input)),
  delete: authed.input(input<IdInput>()).mutation(({ ctx, input }) => ctx.core.access.users.delete(ctx.principal, input)),
});

const rolesRouter = router({
  create: authed.input(input<CreateRoleInput>()).mutation(({ ctx, input }) => ctx.core.access.roles.create(ctx.principal, input)),
  list: authed.input(input<ListRecordsInput | undefined>()).query(({ ctx, input }) => ctx.core.access.roles.list(ctx.principal, input ?? {})),
  get: authed.input(input<IdInput>()).query(({ ctx, input }) => ctx.core.access.roles.get(ctx.principal, input)),
  update: authed.input(input<UpdateRoleInput>()).mutation(({ ctx, input }) => ctx.core.access.roles.update(ctx.principal, input)),
  delete: authed.input(input<IdInput>()).mutation(({ ctx, input }) => ctx.core.access.roles.delete(ctx.principal, input)),
});

const secretsRouter = router({
  createPin: authed.input(input<CreatePinInput>()).mutation(({ ctx, input }) => ctx.core.access.secrets.createPin(ctx.principal, input)),
  get: authed.input(input<UserRefInput>()).query(({ ctx, input }) => ctx.core.access.secrets.get(ctx.principal, input)),
  update: authed.input(input<UpdateSecretInput>()).mutation(({ ctx, input }) => ctx.core.access.secrets.update(ctx.principal, input)),
  delete: authed.input(input<UserRefInput>()).mutation(({ ctx, input }) => ctx.core.access.secrets.delete(ctx.principal, input)),
});

export const accessRouter = router({
  whoami: authed.query(({ ctx }) => ctx.core.access.whoami(ctx.principal)),
  account: router({
    get: authed.query(({ ctx }) => ctx.core.access.get(ctx.principal)),
    identityInfo: authed.query(({ ctx }) => ctx.core.access.identityInfo(ctx.principal)),
  }),
  users: usersRouter,
  roles: rolesRouter,
  secrets: secretsRouter,
});
