#!/usr/bin/env node
// age-rt command line (issue 4).
export {};
