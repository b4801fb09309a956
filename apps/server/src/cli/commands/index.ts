import type { Command } from "../command.js";
import { accountCreate } from "./account-create.js";
import { backup } from "./backup.js";
import { accountDisable } from "./account-disable.js";
import { accountEnable } from "./account-enable.js";
import { accountList } from "./account-list.js";
import { accountShow } from "./account-show.js";
import { doctor } from "./doctor.js";
import { eventsTail } from "./events-tail.js";
import { migrate } from "./migrate.js";
import { restore } from "./restore.js";
import { secretCreate } from "./secret-create.js";
import { secretRevoke } from "./secret-revoke.js";
import { start } from "./start.js";
import { userList } from "./user-list.js";
import { version } from "./version.js";

/**
 * Every command, in the order `idhub --help` lists them. To add one: write `commands/<name>.ts`
 * with defineCommand, add it here, document it in the README's "Command line" section.
 */
export const COMMANDS: readonly Command<any>[] = [
  start,
  migrate,
  accountCreate,
  accountList,
  accountShow,
  accountDisable,
  accountEnable,
  userList,
  secretCreate,
  secretRevoke,
  eventsTail,
  doctor,
  backup,
  restore,
  version,
];
