import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * A plain Node 20 program using the packed SDK: follows an account's feed with
 * `idhub.events.subscribe.subscribe({ after }, { onData })` and prints one JSON line per event,
 * per request URL the SDK fetched, and per connection-state change.
 */
const FOLLOW_MJS = `import { createClient } from "@idhub/sdk";
const out = (line) => process.stdout.write(JSON.stringify(line) + "\\n");
const idhub = createClient({
  url: process.env.IDHUB_URL,
  apiKey: process.env.IDHUB_SECRET,
  fetch: (input, init) => {
    out({ fetched: String(input instanceof Request ? input.url : input) });
    return fetch(input, init);
  },
});
idhub.events.subscribe.subscribe({ after: Number(process.env.AFTER ?? 0) }, {
  onData: ({ id, data }) => out({ tracked: id, seq: data.seq, id: data.id, type: data.type }),
  onError: (error) => {
    out({ error: error.message, code: error.data?.code });
    process.exit(1);
  },
  onConnectionStateChange: (state) => out({ state: state.state }),
});
`;

export interface FollowedEvent {
  tracked: string;
  seq: number;
  id: string;
  type: string;
}

export interface Follower {
  events: FollowedEvent[];
  fetched: string[];
  states: string[];
  until(predicate: (events: FollowedEvent[]) => boolean, timeoutMs?: number): Promise<void>;
  stop(): void;
}

export async function startFollower(projectDir: string, url: string, secret: string): Promise<Follower> {
  await writeFile(join(projectDir, "follow.mjs"), FOLLOW_MJS);
  const child = spawn(process.execPath, ["follow.mjs"], {
    cwd: projectDir,
    env: { PATH: process.env.PATH, IDHUB_URL: url, IDHUB_SECRET: secret },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const events: FollowedEvent[] = [];
  const fetched: string[] = [];
  const states: string[] = [];
  let failure = "";
  let rest = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    const lines = (rest + chunk.toString("utf8")).split("\n");
    rest = lines.pop()!;
    for (const line of lines) {
      const parsed = JSON.parse(line);
      if ("fetched" in parsed) fetched.push(parsed.fetched);
      else if ("state" in parsed) states.push(parsed.state);
      else if ("error" in parsed) failure = line;
      else events.push(parsed);
    }
  });
  child.stderr!.on("data", (chunk: Buffer) => (failure += chunk.toString("utf8")));
  return {
    events,
    fetched,
    states,
    async until(predicate, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(events)) {
        if (failure) throw new Error(`follower failed: ${failure}`);
        if (Date.now() > deadline) throw new Error(`follower: condition not met in ${timeoutMs} ms (${events.length} events)`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    stop: () => void child.kill("SIGKILL"),
  };
}
