import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts","src/errors/index.ts","src/source/index.ts","src/percentile/index.ts","src/series/index.ts", "src/slo/index.ts", "src/windows/index.ts", "src/traces/index.ts", "src/stats/index.ts", "src/anomaly/index.ts", "src/forecast/index.ts", "src/nab/index.ts", "src/cost/index.ts", "src/alerting/index.ts", "src/notify/index.ts", "src/promql/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
  treeshake: true,
  splitting: true,
});
