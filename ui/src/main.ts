// Entry point: picks the backend for this window, then mounts the wizard.
import { mount } from "svelte";
import "./app.css";
import App from "./App.svelte";
import { createBackend } from "./lib/backend";

const target = document.getElementById("app");
if (target === null) {
  throw new Error("index.html has no #app element");
}

void createBackend().then((backend) => mount(App, { target, props: { backend } }));
