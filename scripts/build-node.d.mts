// Types of scripts/build-node.mjs (plain JavaScript, so that bin/councils.js can run it before any build).
export function sources(root?: string): { count: number; newest: number; paths: number };
export function buildIsFresh(root?: string): boolean;
export function build(root?: string, options?: { check?: boolean }): boolean;
