import type { Command } from "../command.js";
import { accountCreate } from "./account-create.js";
import { backup } from "./backup.js";
import { migrate } from "./migrate.js";
import { restore } from "./restore.js";
import { secretCreate } from "./secret-create.js";
import { start } from "./start.js";

/**
 * Every command, in the order `idhub --help` lists them. To add one: write `commands/<name>.ts`
 * with defineCommand, add it here, document it in the README's "Command line" section.
 */
export const COMMANDS: readonly Command<any>[] = [start, migrate, accountCreate, secretCreate, backup, restore];
