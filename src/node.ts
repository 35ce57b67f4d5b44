// age-rt/node: Node-only helpers (files, Node streams).
export * from "./index.js";
