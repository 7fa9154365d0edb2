// Passwords the NIST SP 800-63B way (§5.1.1.2): length in characters, no composition rules, refused when common
// (the shipped breached-password list), repetitive or sequential, or made of the site's name or the member's own
// e-mail address or name; each refusal with its own id and a sentence saying what to do.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { passwordProblem } from '../../src/server/password-policy.ts';

const code = (p: string, ctx = {}) => passwordProblem(p, ctx)?.code;

describe('NIST SP 800-63B password checks', () => {
  test('length: at least 10 characters, counted as characters, at most 1,024', () => {
    assert.equal(code('short pw'), 'password_too_short');
    assert.match(passwordProblem('short pw')!.message, /at least 10 characters \(it has 8\)/);
    assert.equal(code('ёжик в тумане'), undefined, 'any characters, no composition rules');
    assert.equal(code('🐢🦊🐇🦉🐝🐢🦊🐇🦉🐝'), undefined, 'ten emoji are ten characters');
    assert.equal(code('🐢🦊🐇🦉🐝'), 'password_too_short');
    assert.equal(code('x'.repeat(1025)), 'password_too_long');
    assert.equal(code('plain lower case words only'), undefined);
  });

  test('repetition and sequences', () => {
    for (const p of ['aaaaaaaaaa', 'abababababab', 'abcabcabcabc', 'bcdefghijkl', 'zyxwvutsrqp'])
      assert.equal(code(p), 'password_repetitive', p);
  });

  test('common and breached passwords, also with digits and symbols added at the ends', () => {
    for (const p of ['1234567890', 'password123', 'Password2024!', 'qwertyuiop1', 'baseball1999'])
      assert.equal(code(p), 'password_common', p);
  });

  test("the site's name and the member's own e-mail address and name", () => {
    assert.equal(code('my councils pass'), 'password_site_name');
    assert.equal(code('oyelaran-is-me-42', { email: 'oyelaran@example.org' }), 'password_personal');
    assert.equal(code('xx Oyelaran yy', { name: 'Tunde Oyelaran' }), 'password_personal');
    assert.equal(code('xx Oyelaran yy', { name: 'Ana' }), undefined, 'other people may use the word');
  });
});
