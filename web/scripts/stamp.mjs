// The build stamp: one hash of everything the built UI is made from (web/ without
// node_modules, and the committed SDL). `write` stores it beside the build; a Python test
// (tests/test_ui_build.py) computes the same hash and fails when the build is stale.
// Keep the two in step: sorted POSIX paths relative to the repository, each hashed as
// "path\0sha256(content)\n".
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const web = resolve(fileURLToPath(import.meta.url), "../..");
const repo = resolve(web, "..");
const SKIP = new Set(["node_modules", ".vite", "coverage", "test-results"]);
const stampPath = resolve(repo, "server/accord/ui/build-stamp.txt");

function files(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...files(path));
    else found.push(path);
  }
  return found;
}

export function stamp() {
  const paths = [...files(web), resolve(repo, "schema/schema.graphql")]
    .map((path) => relative(repo, path).split(sep).join("/"))
    .sort();
  const total = createHash("sha256");
  for (const path of paths) {
    const digest = createHash("sha256").update(readFileSync(resolve(repo, path))).digest("hex");
    total.update(`${path}\0${digest}\n`);
  }
  return total.digest("hex");
}

if (process.argv[2] === "write") {
  writeFileSync(stampPath, `${stamp()}\n`);
  console.log(`wrote ${relative(repo, stampPath)}`);
} else {
  console.log(stamp());
}
