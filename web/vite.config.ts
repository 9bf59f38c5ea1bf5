import { svelte } from "@sveltejs/vite-plugin-svelte";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const here = dirname(fileURLToPath(import.meta.url));

// The build is package data of the Python package: `pip install` needs no Node.
const outDir = resolve(here, "../server/accord/ui");

export default defineConfig({
  plugins: [svelte()],
  base: "/",
  build: {
    outDir,
    emptyOutDir: true,
    // Source maps would double the wheel; the sources are in the repository.
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      onwarn(warning, warn) {
        // React libraries in the explorer mark modules "use client"; that means nothing here.
        if (warning.code === "MODULE_LEVEL_DIRECTIVE") return;
        warn(warning);
      },
      input: {
        app: resolve(here, "index.html"),
        explorer: resolve(here, "explorer.html"),
      },
    },
  },
  server: {
    proxy: {
      "/graphql": { target: "http://127.0.0.1:8000", ws: true },
      "/export": "http://127.0.0.1:8000",
    },
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
    passWithNoTests: true,
  },
});
