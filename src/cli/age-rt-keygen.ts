#!/usr/bin/env node
// age-rt-keygen command line (issue 4).
export {};
