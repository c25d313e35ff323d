#!/usr/bin/env -S node --max-semi-space-size=64
import { main } from '../src/cli.js';

process.exitCode = await main(process.argv);
