// The argon2id cost the tests' servers hash passwords at: COUNCILS_PASSWORD_HASH's setting (docs/OPERATIONS.md
// "Accounts"), the operator's own, at its cheapest sensible value: 64 KiB, one pass, one lane, microseconds a hash
// instead of ≈ 0.1 s of CPU at the default. The test runner sets the variable for every process it starts (so
// `councils serve` children hash at it too); the harnesses pass the same cost to the services they build. What
// the tests check of passwords (policy, sign-in, throttling, resets) does not depend on the cost; that the default
// is OWASP's, that the setting reaches new hashes and that hashes of either cost keep verifying is tested in
// test/server/password-hash.test.ts. The kill test of an acceptance keeps the default (test/support/crash-child.ts).
import { parsePasswordHashCost } from '../../src/server/password-hash.ts';

export const testPasswordHash = 'm=64,t=1,p=1';
export const testPasswordHashCost = parsePasswordHashCost(testPasswordHash);
