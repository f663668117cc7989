// Guard: the toolchain needs Node >= 22.12. `npm run` puts the `node` dev
// dependency (Node 24) first on PATH; if this fails, `npm ci` was run with
// --ignore-scripts and the bundled Node was never fetched.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(
    `Node ${process.versions.node} is too old (need >= 22.12). ` +
      "Run `npm ci` without --ignore-scripts so the bundled Node 24 is installed.",
  );
  process.exit(1);
}
