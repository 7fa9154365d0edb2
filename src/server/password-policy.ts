// Passwords the NIST SP 800-63B way (§5.1.1.2, "Memorized Secret Verifiers"; docs/ACCOUNTS.md): at least 10
// characters and up to 1,024, any characters (counted as Unicode code points after NFKC normalisation), no
// composition rules, and refused when the password is among the common and breached passwords shipped with the
// app, is a repetition or sequence of characters, or contains the site's name or the member's own e-mail or name.
// Each refusal has its own stable error id and says what to do instead.
import { dictionary } from '@zxcvbn-ts/language-common';
import { ApiError } from './errors.ts';

export const minPasswordLength = 10;
export const maxPasswordLength = 1024;

/**
 * 49,233 passwords ranked by how often they occur in breached password corpora, from zxcvbn-ts's common
 * dictionary (@zxcvbn-ts/language-common 4.1.3, MIT; the list Dropbox's zxcvbn built from leaked passwords).
 */
const common = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));

/** Context-specific words (§5.1.1.2: "the name of the service"). */
const siteWords = ['councils', 'council'];

export interface PasswordContext {
  email?: string;
  name?: string;
}

/** Why a password is refused (its error id and message), or undefined when it is acceptable. */
export function passwordProblem(
  password: string,
  context: PasswordContext = {},
): { code: string; message: string } | undefined {
  const text = password.normalize('NFKC');
  const length = [...text].length;
  if (length < minPasswordLength)
    return {
      code: 'password_too_short',
      message: `the password must have at least ${minPasswordLength} characters (it has ${length}); a few words together make a good one`,
    };
  if (length > maxPasswordLength)
    return {
      code: 'password_too_long',
      message: `the password may have at most ${maxPasswordLength} characters`,
    };
  const lower = text.toLowerCase();
  if (repetitive(lower))
    return {
      code: 'password_repetitive',
      message:
        'the password repeats a few characters or runs in a sequence (like "aaaaaaaaaa", "abababab" or "1234567890"); choose another',
    };
  if (common.has(lower) || common.has(core(lower)))
    return {
      code: 'password_common',
      message:
        'the password is one of the most common passwords, found in leaked password lists; choose another',
    };
  const personal = personalWords(context);
  if (personal.some((w) => lower.includes(w)))
    return {
      code: 'password_personal',
      message: 'the password contains your name or e-mail address; choose one that does not',
    };
  if (siteWords.some((w) => lower.includes(w)))
    return {
      code: 'password_site_name',
      message: 'the password contains the name of this site ("councils"); choose one that does not',
    };
  return undefined;
}

/** Throws the refusal as an ApiError naming `field`. */
export function checkPassword(password: string, context: PasswordContext = {}, field = 'password'): void {
  const problem = passwordProblem(password, context);
  if (problem) throw new ApiError(problem.code, problem.message, field);
}

/** The password without the digits and symbols people add at its ends ("Password2024!" → "password"). */
function core(lower: string): string {
  return lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
}

/** Few distinct characters, a short unit repeated, or one run up or down the alphabet or the digits. */
function repetitive(lower: string): boolean {
  const chars = [...lower];
  if (new Set(chars).size < 4) return true;
  for (let unit = 1; unit <= 4; unit++) {
    const head = chars.slice(0, unit).join('');
    if (chars.every((c, i) => c === head[i % unit])) return true;
  }
  const codes = chars.map((c) => c.codePointAt(0)!);
  const steps = new Set(codes.slice(1).map((c, i) => c - codes[i]!));
  return steps.size === 1 && [...steps].every((s) => Math.abs(s) === 1);
}

/** The e-mail address, its local part, and the name and its words, where long enough to mean something. */
function personalWords(context: PasswordContext): string[] {
  const words: string[] = [];
  if (context.email) {
    const email = context.email.toLowerCase();
    words.push(email, email.split('@')[0]!, ...email.split('@')[0]!.split(/[^\p{L}\p{N}]+/u));
  }
  if (context.name) {
    const name = context.name.normalize('NFKC').toLowerCase();
    words.push(name.replace(/\s+/g, ''), ...name.split(/[^\p{L}\p{N}]+/u));
  }
  return [...new Set(words)].filter((w) => [...w].length >= 4);
}
