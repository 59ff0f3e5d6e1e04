// Reads rendered manifests (YAML, many documents) on stdin and validates each object of a built-in
// kind against the Kubernetes JSON schema of kubernetes-models; prints one line per object:
// "valid Kind/name", "invalid Kind/name: reason", or "skipped Kind/name (no offline schema)".
// Exits 1 when an object is invalid.
import { parseAllDocuments } from "yaml";

const input = await new Promise((resolve) => {
  let text = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => (text += chunk));
  process.stdin.on("end", () => resolve(text));
});

let invalid = 0;
for (const document of parseAllDocuments(input)) {
  const object = document.toJS();
  if (!object) continue;
  const name = `${object.kind}/${object.metadata?.name}`;
  const module = `kubernetes-models/${object.apiVersion}`;
  let Model;
  try {
    Model = (await import(module))[object.kind];
  } catch {
    Model = undefined;
  }
  if (!Model) {
    console.log(`skipped ${name} (no offline schema for ${object.apiVersion})`);
    continue;
  }
  try {
    new Model(object).validate();
    console.log(`valid ${name}`);
  } catch (error) {
    invalid++;
    console.log(`invalid ${name}: ${error.message.replace(/\s+/g, " ")}`);
  }
}
process.exit(invalid === 0 ? 0 : 1);
