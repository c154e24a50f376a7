"""The engine layer: runs the opt-out in a browser. `run` holds the public API (`check`, `apply`, `RunOptions`);
decisions are plain functions (decisions, labels), and page_driver is the only code that touches a page.

It imports the rules layer and the shared facts, never history or the front doors. This file stays empty of
imports: the native host reads `cookies` at start-up and must not pull Playwright in with it.
"""
