// Entry point: mounts the window's page on the Tauri backend.
import { mount } from "svelte";
import "./app.css";
import Root from "./Root.svelte";
import { currentView, tauriBackend } from "./lib/backend";

const target = document.getElementById("app");
if (target === null) {
  throw new Error("index.html has no #app element");
}

mount(Root, { target, props: { backend: tauriBackend, view: currentView() } });
