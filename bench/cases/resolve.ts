/**
 * Case 4: `GET /resolve/{identity}?context=system` on 1,000,000 identities across 10,000 accounts
 * and 500,000 twins (~30 % public with visibility rules), compared with the point-read baseline.
 * Not built yet: the seed alone is a project (it must be fast and go through core's rules).
 */
import type { BenchCase } from "./common.js";

export const resolve: BenchCase = {
  name: "4-resolve",
  title: "4 GET /resolve/{identity}?context=system",
  baseline: "read",
  targets: "none",
  notImplemented: "not implemented: needs 1M-identity seed",
};
