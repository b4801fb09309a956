import type { JsonObject } from "../shared/json.js";

export interface User {
  id: string;
  account: string;
  role: string;
  name: string | null;
  /** What rules see as USER. */
  description: JsonObject | null;
  createdAt: number;
  updatedAt: number;
}
