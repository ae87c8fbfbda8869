// Entry point: mounts the window's page on the Tauri backend.
import { mount } from "svelte";
import "./app.css";
import Root from "./Root.svelte";
import { reportFirstPaint, tauriBackend } from "./lib/backend";

const target = document.getElementById("app");
if (target === null) {
  throw new Error("index.html has no #app element");
}

mount(Root, { target, props: { backend: tauriBackend } });

// A callback of the first animation frame runs before that frame is painted; one requested from
// it runs once the mounted page is on screen.
requestAnimationFrame(() => requestAnimationFrame(() => void reportFirstPaint()));
