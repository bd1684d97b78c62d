import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts","src/simulated/index.ts","src/promql/index.ts", "src/prometheus/index.ts", "src/alertmanager/index.ts", "src/file-outbox/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
  treeshake: true,
  splitting: true,
});
