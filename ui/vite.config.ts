import { defineConfig } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { svelteTesting } from "@testing-library/svelte/vite";

// Tauri serves `dist/` from the app; the dev server is only for `tauri dev`.
// `svelteTesting` only acts under Vitest (browser build of Svelte, DOM cleanup after each test).
export default defineConfig({
  plugins: [svelte(), svelteTesting()],
  clearScreen: false,
  server: { port: 1420, strictPort: true },
  build: { target: "safari15", outDir: "dist", emptyOutDir: true },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
    setupFiles: ["src/test/setup.ts"],
    // app.css is read as text by app.contrast.test.ts (other CSS stays out of the tests).
    css: { include: [/app\.css/] },
    // The Rust side cannot run inside Vitest: the Tauri bridge is replaced by a scripted fake.
    alias: {
      "@tauri-apps/api/core": "/src/test/fakeTauri.ts",
      "@tauri-apps/api/event": "/src/test/fakeTauri.ts",
    },
  },
});
