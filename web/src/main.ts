import { mount } from "svelte";
import App from "./App.svelte";
import "./app/theme.css";
import "./app/base.css";
import { display } from "./lib/display.svelte";

// The person's theme and text size before anything is drawn, so nothing flashes.
display.start();

const target = document.getElementById("app");
if (!target) throw new Error("index.html has no #app element");
export default mount(App, { target });
