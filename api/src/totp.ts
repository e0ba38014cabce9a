#!/usr/bin/env node
/** Prints the one-time code an authenticator would show now for a secret: `node api/dist/totp.js <base32 secret>`. */
import { totpNow } from './auth/totp.js';

const secret = process.argv[2];
if (secret === undefined || secret === '') {
  process.stderr.write('usage: node api/dist/totp.js <base32 secret>\n');
  process.exitCode = 2;
} else process.stdout.write(`${totpNow(secret)}\n`);
